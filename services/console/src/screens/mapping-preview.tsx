import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { MappingConfig, MappingPreview as Preview } from '../api/types';
import { ErrorNote } from '../components/feedback';
import { TextField } from '../components/fields';
import { useSession } from '../session';
import { TableHead } from '../components/table-head';

const shown = (value: unknown): string => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Every target value the mapping gives one directory user, read from the directory now: the
 * mapping in force, or the draft being edited once the mapper found it valid.
 */
export function MappingPreview({ jobId, draft }: { jobId: string; draft: MappingConfig | null }) {
  const { api } = useSession();
  const [typed, setTyped] = useState('');
  const [userId, setUserId] = useState<string | null>(null);
  const preview = useQuery({
    queryKey: ['preview', jobId, userId, draft],
    queryFn: () => api.send<Preview>('POST', `/jobs/${jobId}/mapping/preview`, { userId, ...(draft ? { config: draft } : {}) }),
    enabled: userId !== null,
    placeholderData: keepPreviousData,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setUserId(typed.trim() || null);
  };
  const p = preview.data;
  return (
    <section aria-labelledby="preview-title" className="card">
      <h3 id="preview-title">Preview for a directory user</h3>
      <form onSubmit={submit} className="actions">
        <TextField label="Directory user id" value={typed} onChange={setTyped} spellCheck={false} />
        <button type="submit">Preview</button>
      </form>
      <ErrorNote error={preview.error} />
      {p && (
        <div aria-live="polite">
          <p>
            {p.configVersion === null ? 'The draft above' : `Version ${p.configVersion}`}, {p.forCreate ? 'as a create (no GoTo account yet)' : 'as an update'}.{' '}
            {p.assigned ? 'Assigned' : 'Not assigned'}; {p.scoping.inScope ? 'in scope' : 'out of scope'} ({p.scoping.reason}).
            {p.matchingError && ` Matching: ${p.matchingError}.`}
          </p>
          <table className="compact">
            <caption>Target values for {p.userId}</caption>
            <TableHead columns={['Target attribute', 'Value', 'Note']} />
            <tbody>
              {p.targets.map((t) => (
                <tr key={t.target}>
                  <th scope="row">{t.target}</th>
                  <td>{shown(t.value)}</td>
                  <td className={t.error ? 'error' : undefined}>
                    {t.error ? `${t.error.message} (line ${t.error.line}, column ${t.error.column})` : (t.notApplied ?? (t.fromDefault ? 'default value' : t.redacted ? 'redacted' : ''))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
