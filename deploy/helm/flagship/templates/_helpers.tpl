{{/* The release's name prefix for every object. */}}
{{- define "flagship.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "flagship.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "api"). */}}
{{- define "flagship.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "flagship.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/*
The variables every FlagShip container gets: the URLs from existing Secrets
(or the bundled PostgreSQL/Redis), the optional tokens, the plain settings.
(dict "root" $ "direct" true) gives the direct database URL when one is set.
*/}}
{{- define "flagship.env" -}}
{{- $root := .root -}}
{{- $values := $root.Values -}}
{{- $fullname := include "flagship.fullname" $root -}}
{{- if $values.postgresql.enabled }}
- name: POSTGRES_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "postgresql.auth.existingSecret: the name of an existing Secret holding the bundled PostgreSQL's password" $values.postgresql.auth.existingSecret }}
      key: {{ $values.postgresql.auth.passwordKey }}
- name: DATABASE_URL
  value: {{ printf "postgres://postgres:$(POSTGRES_PASSWORD)@%s-postgresql:5432/%s" $fullname $values.postgresql.auth.database | quote }}
{{- else }}
{{- $database := $values.secrets.database }}
{{- if and .direct $values.secrets.directDatabase.name }}
{{- $database = $values.secrets.directDatabase }}
{{- end }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ required "secrets.database.name: the name of an existing Secret holding DATABASE_URL (or set postgresql.enabled)" $database.name }}
      key: {{ $database.key }}
{{- end }}
{{- if $values.redis.enabled }}
- name: REDIS_URL
  value: {{ printf "redis://%s-redis:6379" $fullname | quote }}
{{- else }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ required "secrets.redis.name: the name of an existing Secret holding REDIS_URL (or set redis.enabled)" $values.secrets.redis.name }}
      key: {{ $values.secrets.redis.key }}
{{- end }}
{{- range $variable, $secret := dict "FLAGSHIP_ADMIN_TOKEN" $values.secrets.adminToken "FLAGSHIP_METRICS_TOKEN" $values.secrets.metricsToken }}
{{- if $secret.name }}
- name: {{ $variable }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret.name }}
      key: {{ $secret.key }}
{{- end }}
{{- end }}
- name: PORT
  value: {{ $values.api.port | quote }}
- name: NOTIFIER_PORT
  value: {{ $values.notifier.port | quote }}
- name: WORKER_PORT
  value: {{ $values.worker.port | quote }}
{{- range $name, $value := $values.config }}
{{- if ne (toString $value) "" }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The pod-level settings every FlagShip pod shares. */}}
{{- define "flagship.podSpec" -}}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
