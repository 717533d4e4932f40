import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestEnvironment, getJson, startService } from '@roster/testing';
import { MapperAppModule } from '../../services/mapper/src/app.module';

describe('mapping configuration from MAPPING_FILE', () => {
  const env = new TestEnvironment();
  const dir = mkdtempSync(join(tmpdir(), 'roster-mapping-'));
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await env.dispose();
  });

  it('applies a YAML mapping at start and keeps it as the job configuration', async () => {
    const file = join(dir, 'mapping.yaml');
    writeFileSync(
      file,
      [
        'attributeMappings:',
        '  - { target: userName, type: Direct, source: userPrincipalName, matchingPrecedence: 1 }',
        '  - target: displayName',
        '    type: Expression',
        '    expression: Join(" ", [givenName], [surname])',
        'scopingFilters:',
        '  - name: Sales only',
        '    clauses: [{ attribute: department, operator: EQUALS, value: Sales }]',
        'deletionThreshold: 50',
      ].join('\n'),
    );
    const mapper = await startService(MapperAppModule.forRoot(env.env({ MAPPING_FILE: file })));
    try {
      const { body } = await getJson<{ version: number; config: { deletionThreshold: number }; sourceAttributes: string[] }>(
        `${mapper.url}/jobs/gotomeeting/mapping`,
      );
      expect(body.version).toBe(1);
      expect(body.config.deletionThreshold).toBe(50);
      expect(body.sourceAttributes).toEqual(['givenName', 'surname', 'userPrincipalName']);
    } finally {
      await mapper.app.close();
    }
    // The same file again: no new version.
    const again = await startService(MapperAppModule.forRoot(env.env({ MAPPING_FILE: file })));
    try {
      expect((await getJson<{ version: number }>(`${again.url}/jobs/gotomeeting/mapping`)).body.version).toBe(1);
    } finally {
      await again.app.close();
    }
  });

  it('refuses to start on an invalid file, naming the file, the mapping and the position', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(
      file,
      JSON.stringify({
        attributeMappings: [
          { target: 'userName', type: 'Direct', source: 'userPrincipalName', matchingPrecedence: 1 },
          { target: 'title', type: 'Expression', expression: 'Left([jobTitle], 3' },
        ],
      }),
    );
    await expect(startService(MapperAppModule.forRoot(env.env({ MAPPING_FILE: file })))).rejects.toThrow(
      new RegExp(`MAPPING_FILE ${file}: .*attributeMappings\\[1\\] \\(title\\)\\.expression: .*1:\\d+`),
    );
  });

  it("refuses to start on a file mapping an attribute GoTo does not accept, before the connector has read GoTo's schema", async () => {
    const file = join(dir, 'title.yaml');
    writeFileSync(
      file,
      [
        'attributeMappings:',
        '  - { target: userName, type: Direct, source: userPrincipalName, matchingPrecedence: 1 }',
        '  - { target: title, type: Direct, source: jobTitle }',
      ].join('\n'),
    );
    await expect(startService(MapperAppModule.forRoot(env.env({ MAPPING_FILE: file })))).rejects.toThrow(
      new RegExp(`MAPPING_FILE ${file}: .*attributeMappings\\[1\\] \\(title\\): the target does not accept attribute "title"; it publishes no schema, and GoTo documents: userName`),
    );
  });
});
