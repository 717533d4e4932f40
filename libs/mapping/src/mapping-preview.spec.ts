import type { WatchedDirectoryUser } from '@roster/contracts';
import { compileJob } from './compile-job';
import { DEFAULT_GOTOMEETING_MAPPING } from './default-gotomeeting.mapping';
import { previewMapping } from './mapping-preview';
import { validateMappingConfig } from './validate-mapping-config';

const ada: WatchedDirectoryUser = {
  provisioningJobId: 'job',
  id: 'u1',
  state: 'present',
  accountEnabled: true,
  attributes: { objectId: 'u1', userPrincipalName: 'ada@example.com', givenName: 'Ada', surname: 'Lovelace', accountEnabled: true, department: 'R&D', secretCode: 'XK-42' },
  assignments: [{ kind: 'direct', appRoleId: 'role-1' }],
  groups: [],
};

function job(extra: { target: string; type: 'Expression' | 'Constant'; expression?: string; constant?: string; apply?: 'Always' | 'OnlyOnCreate' }[], scopingFilters: unknown[] = []) {
  const config = validateMappingConfig({ ...DEFAULT_GOTOMEETING_MAPPING, attributeMappings: [...DEFAULT_GOTOMEETING_MAPPING.attributeMappings, ...extra], scopingFilters });
  return compileJob(config, 3);
}

describe('previewMapping', () => {
  it('answers each target value and the matching attribute, as a create for a user without an account', () => {
    const preview = previewMapping(job([{ target: 'title', type: 'Expression', expression: 'Join(" ", [givenName], [surname])' }]), ada, { provisioned: false, draft: false });
    expect(preview).toMatchObject({ userId: 'u1', configVersion: 3, forCreate: true, assigned: true, scoping: { inScope: true }, matchingError: null });
    expect(preview.matching).toEqual([{ targetAttribute: 'userName', value: 'ada@example.com', precedence: 1 }]);
    expect(preview.targets.find((t) => t.target === 'title')).toEqual({ target: 'title', type: 'Expression', value: 'Ada Lovelace', redacted: false, fromDefault: false });
    expect(preview.targets.find((t) => t.target === 'userName')?.value).toBe('ada@example.com');
  });

  it('gives a failing expression its error with the position, and still the other targets', () => {
    const preview = previewMapping(job([{ target: 'title', type: 'Expression', expression: 'DateFromNum([department])' }]), ada, { provisioned: true, draft: true });
    const title = preview.targets.find((t) => t.target === 'title')!;
    expect(title.value).toBeUndefined();
    expect(title.error).toMatchObject({ code: 'INVALID_ARGUMENT', line: 1 });
    expect(title.error!.message).toMatch(new RegExp(`at 1:${title.error!.column}$`));
    expect(preview.targets.find((t) => t.target === 'userName')?.value).toBe('ada@example.com');
    expect(preview).toMatchObject({ configVersion: null, forCreate: false, matching: null });
    expect(preview.matchingError).toMatch(/failed/);
  });

  it('hides what went through Redact() and leaves OnlyOnCreate mappings out of an update', () => {
    const mappings = job([
      { target: 'title', type: 'Expression', expression: 'Redact([secretCode])' },
      { target: 'locale', type: 'Constant', constant: 'en_US', apply: 'OnlyOnCreate' },
    ]);
    const preview = previewMapping(mappings, ada, { provisioned: true, draft: false });
    expect(preview.targets.find((t) => t.target === 'title')).toMatchObject({ value: '[Redact]', redacted: true });
    expect(JSON.stringify(preview)).not.toContain('XK-42');
    expect(preview.targets.find((t) => t.target === 'locale')).toMatchObject({ notApplied: expect.stringMatching(/create only/) });
  });

  it('says why a user is out of scope: not assigned, or a scoping filter', () => {
    expect(previewMapping(job([]), { ...ada, assignments: [] }, { provisioned: false, draft: false }).scoping).toEqual({ inScope: false, reason: 'not assigned to the app' });
    const filtered = previewMapping(job([], [{ clauses: [{ attribute: 'department', operator: 'EQUALS', value: 'Sales' }] }]), ada, { provisioned: false, draft: false });
    expect(filtered.scoping.inScope).toBe(false);
    expect(filtered.assigned).toBe(true);
  });
});
