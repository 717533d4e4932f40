import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { ProvisioningJobView } from '../api/types';
import { ErrorNote } from '../components/feedback';
import { CheckField, SecretField, SelectField, TextField } from '../components/fields';
import { navigate } from '../router';
import { useSession } from '../session';
import { ConnectionTest, TestMail } from './job-checks';
import { createBodyOfForm, emptyJobForm, formOfJob, settingsOfForm, type JobForm } from './job-form';

/** Creates a job (without `job`) or edits one: source, GoTo connection, schedule and notification e-mail. */
export function JobSetup({ job }: { job?: ProvisioningJobView }) {
  const { api, canWrite } = useSession();
  const queries = useQueryClient();
  const [form, setForm] = useState<JobForm>(() => (job ? formOfJob(job) : emptyJobForm));
  const [saved, setSaved] = useState(false);
  const set = <K extends keyof JobForm>(key: K) => (value: JobForm[K]) => {
    setSaved(false);
    setForm((f) => ({ ...f, [key]: value }));
  };
  const stored = (field: ProvisioningJobView['secretsSet'][number]) => job?.secretsSet.includes(field) ?? false;
  const readOnly = !canWrite;

  const save = useMutation({
    mutationFn: () => (job ? api.send<ProvisioningJobView>('PUT', `/jobs/${job.id}`, settingsOfForm(form)) : api.send<ProvisioningJobView>('POST', '/jobs', createBodyOfForm(form))),
    onSuccess: (answer) => {
      queries.setQueryData(['job', answer.id], answer);
      void queries.invalidateQueries({ queryKey: ['jobs'] });
      // Typed credentials are sent once; the form forgets them, as the API never answers them.
      setForm(formOfJob(answer));
      setSaved(true);
      if (!job) navigate(`/jobs/${answer.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <section aria-labelledby="setup-title">
      <h2 id="setup-title">{job ? 'Set-up' : 'New provisioning job'}</h2>
      <form onSubmit={submit} className="setup">
        <fieldset disabled={readOnly}>
          <legend>Job</legend>
          {!job && <TextField label="Job id" value={form.id} onChange={set('id')} required pattern="[a-z0-9][a-z0-9\-]{0,62}" hint="Lower-case letters, digits and dashes." />}
          <TextField label="Display name" value={form.displayName} onChange={set('displayName')} />
          <TextField label="Full cycle every (minutes)" type="number" min={1} value={form.intervalMinutes} onChange={set('intervalMinutes')} />
        </fieldset>

        <fieldset disabled={readOnly}>
          <legend>Directory source</legend>
          <SelectField label="Source" value={form.sourceKind} onChange={set('sourceKind')} options={[['demo', 'Demo directory'], ['entra', 'Microsoft Entra ID']] as const} />
          {form.sourceKind === 'entra' && (
            <>
              <TextField label="Tenant id" value={form.tenantId} onChange={set('tenantId')} required />
              <TextField label="Application (client) id" value={form.entraClientId} onChange={set('entraClientId')} required />
              <SecretField label="Entra client secret" value={form.entraClientSecret} onChange={set('entraClientSecret')} stored={stored('source.settings.clientSecret')} />
              <TextField label="Enterprise app (service principal) id" value={form.servicePrincipalId} onChange={set('servicePrincipalId')} required />
              <SelectField label="Scope" value={form.entraScope} onChange={set('entraScope')} options={[['assigned', 'Sync only assigned users and groups'], ['all-users', 'Sync all users and groups']] as const} />
              <SelectField label="Members of nested groups" value={form.nestedGroups} onChange={set('nestedGroups')} options={[['', 'As the installation says (ENTRA_NESTED_GROUPS)'], ['true', 'In scope'], ['false', 'Not in scope (as Entra)']] as const} />
              <TextField label="Extra user properties to read" value={form.entraSelect} onChange={set('entraSelect')} hint="Graph property names, comma-separated; empty: as the installation says (ENTRA_SELECT)." />
            </>
          )}
          <SelectField label="Default Access assignments" value={form.includeDefaultAccess} onChange={set('includeDefaultAccess')} options={[['', 'As the installation says (INCLUDE_DEFAULT_ACCESS)'], ['true', 'Provision them'], ['false', 'Leave them out (as Entra)']] as const} />
        </fieldset>

        <fieldset disabled={readOnly}>
          <legend>GoTo admin credentials</legend>
          <TextField label="GoTo client id" value={form.gotoClientId} onChange={set('gotoClientId')} required autoComplete="off" />
          <SecretField label="GoTo client secret" value={form.gotoClientSecret} onChange={set('gotoClientSecret')} stored={stored('goto.clientSecret')} />
          <TextField label="GoTo admin user name" value={form.adminUserName} onChange={set('adminUserName')} autoComplete="off" hint="Only for the password grant; leave empty with client credentials." />
          <SecretField label="GoTo admin password" value={form.adminPassword} onChange={set('adminPassword')} stored={stored('goto.adminPassword')} />
          <TextField label="GoTo requests per second" type="number" min={1} value={form.rateLimitPerSecond} onChange={set('rateLimitPerSecond')} />
          <details open={!!(form.authUrl || form.scimUrl || form.adminUrl)}>
            <summary>GoTo endpoints (leave empty for GoTo’s own)</summary>
            <TextField label="GoTo auth URL" type="url" value={form.authUrl} onChange={set('authUrl')} />
            <TextField label="GoTo SCIM URL" type="url" value={form.scimUrl} onChange={set('scimUrl')} />
            <TextField label="GoTo admin API URL" type="url" value={form.adminUrl} onChange={set('adminUrl')} />
          </details>
        </fieldset>

        <fieldset disabled={readOnly}>
          <legend>Notification e-mail</legend>
          <CheckField label="Send an email notification when a failure occurs" checked={form.notifyEnabled} onChange={set('notifyEnabled')} />
          <TextField label="Notification e-mail" value={form.emails} onChange={set('emails')} hint="One or more addresses, separated by commas." autoComplete="off" />
          <TextField label="At most one digest every (minutes)" type="number" min={1} value={form.digestMinutes} onChange={set('digestMinutes')} />
          <details open={!!form.smtpHost}>
            <summary>Mail server</summary>
            <TextField label="SMTP host" value={form.smtpHost} onChange={set('smtpHost')} />
            <TextField label="SMTP port" type="number" value={form.smtpPort} onChange={set('smtpPort')} />
            <SelectField label="TLS" value={form.smtpTls} onChange={set('smtpTls')} options={[['starttls', 'STARTTLS (port 587)'], ['implicit', 'Implicit TLS (port 465)'], ['none', 'None (local relay only)']] as const} />
            <TextField label="SMTP user" value={form.smtpUser} onChange={set('smtpUser')} autoComplete="off" />
            <SecretField label="SMTP password" value={form.smtpPassword} onChange={set('smtpPassword')} stored={stored('notification.smtp.password')} />
            <TextField label="From address" type="email" value={form.smtpFrom} onChange={set('smtpFrom')} />
          </details>
        </fieldset>

        {canWrite && (
          <div className="actions">
            <button type="submit" disabled={save.isPending}>
              {job ? 'Save' : 'Create job'}
            </button>
            {saved && (
              <span role="status" className="ok">
                Saved.
              </span>
            )}
          </div>
        )}
        <ErrorNote error={save.error} />
      </form>
      {job && canWrite && (
        <div className="checks">
          <ConnectionTest jobId={job.id} />
          <TestMail jobId={job.id} />
        </div>
      )}
    </section>
  );
}
