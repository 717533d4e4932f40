import type { ProvisioningObjectSummary } from '../api/types';
import { resultWord } from './feedback';

/** Entra's provisioning steps (import, scoping, matching, action, export), each with its outcome. */
export function StepList({ steps }: { steps: ProvisioningObjectSummary['provisioningSteps'] }) {
  return (
    <ol className="steps">
      {steps.map((s, i) => (
        <li key={i}>
          <strong>{s.name}</strong> <span className={`badge status-${s.status}`}>{resultWord(s.status)}</span>{' '}
          <span className="muted">({s.provisioningStepType})</span>
          <div>{s.description}</div>
        </li>
      ))}
    </ol>
  );
}
