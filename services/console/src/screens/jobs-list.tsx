import { useQuery } from '@tanstack/react-query';
import type { ProvisioningJobView } from '../api/types';
import { ErrorNote, Loading, StateBadge, formatTime } from '../components/feedback';
import { Link } from '../router';
import { useSession } from '../session';
import { TableHead } from '../components/table-head';

export function JobsList() {
  const { api, canWrite } = useSession();
  const jobs = useQuery({ queryKey: ['jobs'], queryFn: () => api.get<ProvisioningJobView[]>('/jobs'), refetchInterval: 5000 });
  return (
    <section aria-labelledby="jobs-title">
      <div className="title-row">
        <h1 id="jobs-title">Provisioning jobs</h1>
        {canWrite && (
          <Link to="/jobs/new" className="button">
            New job
          </Link>
        )}
      </div>
      {jobs.isPending && <Loading what="jobs" />}
      <ErrorNote error={jobs.error} />
      {jobs.data && jobs.data.length === 0 && <p>No job yet.{canWrite && ' Create one to connect a directory to GoTo.'}</p>}
      {jobs.data && jobs.data.length > 0 && (
        <table>
          <caption className="visually-hidden">Jobs and their states</caption>
          <TableHead columns={['Job', 'State', 'Why', 'Source', 'Updated']} />
          <tbody>
            {jobs.data.map((job) => (
              <tr key={job.id}>
                <td>
                  <Link to={`/jobs/${job.id}`}>{job.displayName ?? job.id}</Link>
                  {job.displayName && <span className="muted"> ({job.id})</span>}
                </td>
                <td>
                  <StateBadge state={job.state} />
                </td>
                <td>{job.stateDetail?.reason ?? ''}</td>
                <td>{job.source.kind === 'entra' ? 'Microsoft Entra ID' : 'Demo directory'}</td>
                <td>{formatTime(job.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
