{{/* Name of a service's objects: <release>-<service>. */}}
{{- define "roster.name" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "roster.selectorLabels" -}}
app.kubernetes.io/name: roster
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "roster.labels" -}}
{{ include "roster.selectorLabels" . }}
app.kubernetes.io/part-of: roster
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end }}

{{- define "roster.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end }}

{{/* An environment variable read from a Secret: dict "name" VAR "secret" SECRET "key" KEY. */}}
{{- define "roster.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "%s needs a Secret name" .name) .secret | quote }}
      key: {{ required (printf "%s needs a Secret key" .name) .key | quote }}
{{- end }}

{{/* Longer than the service's own shutdown grace, so Kubernetes never kills a job it is finishing. */}}
{{- define "roster.terminationGracePeriodSeconds" -}}
{{- add (div (int .Values.shutdownGraceMs) 1000) (int .Values.terminationGraceExtraSeconds) -}}
{{- end }}

{{/*
The environment of one service: dict "root" $ "name" SERVICE "svc" ITS-VALUES "migrations" MODE.
Every secret comes from a Secret; nothing secret is ever a value.
*/}}
{{- define "roster.env" -}}
{{- $v := .root.Values -}}
- name: SERVICE
  value: {{ .name | quote }}
- name: HTTP_PORT
  value: {{ .svc.port | quote }}
- name: LOG_LEVEL
  value: {{ $v.logLevel | quote }}
- name: PROVISIONING_JOB_ID
  value: {{ $v.provisioningJobId | quote }}
- name: DATABASE_SCHEMA
  value: {{ $v.database.schema | quote }}
- name: DATABASE_MIGRATIONS
  value: {{ .migrations | quote }}
- name: QUEUE_PREFIX
  value: {{ $v.redis.queuePrefix | quote }}
- name: SHUTDOWN_GRACE_MS
  value: {{ $v.shutdownGraceMs | quote }}
{{ include "roster.secretEnv" (dict "name" "DATABASE_URL" "secret" $v.database.existingSecret "key" $v.database.urlKey) }}
{{ include "roster.secretEnv" (dict "name" "REDIS_URL" "secret" $v.redis.existingSecret "key" $v.redis.urlKey) }}
{{- if eq $v.redis.mode "sentinel" }}
- name: REDIS_SENTINELS
  value: {{ required "redis.sentinel.addresses is required with redis.mode sentinel" $v.redis.sentinel.addresses | quote }}
- name: REDIS_SENTINEL_MASTER
  value: {{ $v.redis.sentinel.master | quote }}
{{- if $v.redis.sentinel.passwordKey }}
{{ include "roster.secretEnv" (dict "name" "REDIS_SENTINEL_PASSWORD" "secret" $v.redis.existingSecret "key" $v.redis.sentinel.passwordKey) }}
{{- end }}
{{- else if ne $v.redis.mode "standalone" }}
{{- fail (printf "redis.mode %s is not supported: standalone, or sentinel for high availability (README.md, Redis, says why not cluster)" $v.redis.mode) }}
{{- end }}
{{ include "roster.secretEnv" (dict "name" "ROSTER_SECRET_KEY" "secret" $v.secrets.existingSecret "key" $v.secrets.secretKeyKey) }}
{{ include "roster.secretEnv" (dict "name" "ROSTER_INTERNAL_TOKEN" "secret" $v.secrets.existingSecret "key" $v.secrets.internalTokenKey) }}
{{- if $v.tracing.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ $v.tracing.otlpEndpoint | quote }}
- name: OTEL_SERVICE_NAME
  value: {{ printf "roster-%s" .name | quote }}
{{- end }}
{{- if or (eq .name "connector") (eq .name "admin-api") }}
{{- /* Without a client id the job's GoTo connection comes from its record in the admin API. */}}
{{- if $v.goto.clientId }}
- name: GOTO_CLIENT_ID
  value: {{ $v.goto.clientId | quote }}
{{ include "roster.secretEnv" (dict "name" "GOTO_CLIENT_SECRET" "secret" $v.goto.existingSecret "key" $v.goto.clientSecretKey) }}
{{- end }}
- name: GOTO_RATE_LIMIT_PER_SECOND
  value: {{ $v.goto.rateLimitPerSecond | quote }}
{{- range $var, $url := dict "GOTO_AUTH_URL" $v.goto.authUrl "GOTO_SCIM_URL" $v.goto.scimUrl "GOTO_ADMIN_URL" $v.goto.adminUrl }}
{{- if $url }}
- name: {{ $var }}
  value: {{ $url | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- if or (eq .name "directory-watcher") (eq .name "admin-api") }}
- name: DIRECTORY_SOURCE
  value: {{ $v.directory.source | quote }}
{{- if eq $v.directory.source "entra" }}
- name: ENTRA_TENANT_ID
  value: {{ required "directory.entra.tenantId is required" $v.directory.entra.tenantId | quote }}
- name: ENTRA_CLIENT_ID
  value: {{ required "directory.entra.clientId is required" $v.directory.entra.clientId | quote }}
- name: ENTRA_SERVICE_PRINCIPAL_ID
  value: {{ required "directory.entra.servicePrincipalId is required" $v.directory.entra.servicePrincipalId | quote }}
{{ include "roster.secretEnv" (dict "name" "ENTRA_CLIENT_SECRET" "secret" $v.directory.entra.existingSecret "key" $v.directory.entra.clientSecretKey) }}
{{- if and (eq .name "directory-watcher") $v.directory.entra.webhookUrl }}
- name: ENTRA_WEBHOOK_URL
  value: {{ $v.directory.entra.webhookUrl | quote }}
{{ include "roster.secretEnv" (dict "name" "ENTRA_WEBHOOK_CLIENT_STATE" "secret" $v.directory.entra.existingSecret "key" $v.directory.entra.webhookClientStateKey) }}
{{- end }}
{{- end }}
{{- end }}
{{- if eq .name "admin-api" }}
{{- if $v.oidc.issuer }}
- name: OIDC_ISSUER
  value: {{ $v.oidc.issuer | quote }}
- name: OIDC_AUDIENCE
  value: {{ required "oidc.audience is required with oidc.issuer: a token meant for another API must not be accepted" $v.oidc.audience | quote }}
- name: OIDC_ROLES_CLAIM
  value: {{ $v.oidc.rolesClaim | quote }}
- name: OIDC_ADMIN_ROLES
  value: {{ $v.oidc.adminRoles | quote }}
- name: OIDC_READER_ROLES
  value: {{ $v.oidc.readerRoles | quote }}
{{- end }}
{{- if $v.notification.emails }}
- name: NOTIFICATION_EMAILS
  value: {{ $v.notification.emails | quote }}
{{- end }}
{{- $smtp := $v.notification.smtp }}
{{- if $smtp.host }}
- name: SMTP_HOST
  value: {{ $smtp.host | quote }}
- name: SMTP_PORT
  value: {{ $smtp.port | quote }}
- name: SMTP_TLS
  value: {{ $smtp.tls | quote }}
- name: SMTP_FROM
  value: {{ required "notification.smtp.from is required with notification.smtp.host" $smtp.from | quote }}
{{- if $smtp.user }}
- name: SMTP_USER
  value: {{ $smtp.user | quote }}
{{- end }}
{{- if $smtp.existingSecret }}
{{ include "roster.secretEnv" (dict "name" "SMTP_PASSWORD" "secret" $smtp.existingSecret "key" $smtp.passwordKey) }}
{{- end }}
{{- end }}
{{- range $service, $var := dict "directory-watcher" "WATCHER_URL" "mapper" "MAPPER_URL" "connector" "CONNECTOR_URL" "audit" "AUDIT_URL" }}
- name: {{ $var }}
  value: {{ printf "http://%s:%v" (include "roster.name" (dict "root" $.root "name" $service)) (index $.root.Values.services $service).port | quote }}
{{- end }}
{{- end }}
{{- range $key, $value := .svc.env }}
- name: {{ $key }}
  value: {{ $value | quote }}
{{- end }}
{{- with $v.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The container of one service, for its Deployment and the migration Job alike. */}}
{{- define "roster.container" -}}
- name: {{ .name }}
  image: {{ include "roster.image" .root | quote }}
  imagePullPolicy: {{ .root.Values.image.pullPolicy }}
  env:
    {{- include "roster.env" . | nindent 4 }}
  securityContext:
    {{- toYaml .root.Values.securityContext | nindent 4 }}
  resources:
    {{- toYaml .svc.resources | nindent 4 }}
  volumeMounts:
    - name: tmp
      mountPath: /tmp
{{- end }}

{{- define "roster.podSpecCommon" -}}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
volumes:
  - name: tmp
    emptyDir: {}
{{- end }}
