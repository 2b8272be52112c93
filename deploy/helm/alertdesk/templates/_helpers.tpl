{{/* The release's full name, at most 63 characters. */}}
{{- define "alertdesk.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "alertdesk.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Labels that select the pods. */}}
{{- define "alertdesk.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The ServiceAccount's name. */}}
{{- define "alertdesk.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "alertdesk.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* true when the database is PostgreSQL; fails on an unknown type. */}}
{{- define "alertdesk.postgresql" -}}
{{- if eq .Values.database.type "postgresql" -}}
true
{{- else if eq .Values.database.type "sqlite" -}}
{{- else -}}
{{- fail (printf "database.type must be sqlite or postgresql, got %q" .Values.database.type) -}}
{{- end -}}
{{- end -}}

{{/* The number of pods: 1 on SQLite, .Values.replicas (at least 2) on PostgreSQL. */}}
{{- define "alertdesk.replicas" -}}
{{- if include "alertdesk.postgresql" . -}}
{{- if lt (int .Values.replicas) 2 -}}
{{- fail "replicas must be at least 2 with database.type=postgresql" -}}
{{- end -}}
{{- .Values.replicas -}}
{{- else -}}
1
{{- end -}}
{{- end -}}
