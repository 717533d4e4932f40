/** The quick start's demo user, assigned the same way by `npm start` and by `docker compose up`. */
export const DEMO_USER_ID = 'demo-ada';
export const DEMO_USER_NAME = 'ada.lovelace@example.com';
const DEMO_ROLE = '8a1f5c2e-7b3d-4e6f-9a0b-1c2d3e4f5a6b';

async function post(url: string, body: unknown, key: string): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  if (!res.ok && res.status !== 409) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
}

/** Adds the demo user to the demo directory and assigns it to the app, through the admin API. */
export async function assignDemoUser(adminApiUrl: string, adminKey: string): Promise<void> {
  const directory = `${adminApiUrl}/demo-directory`;
  await post(
    `${directory}/users`,
    {
      id: DEMO_USER_ID,
      userPrincipalName: DEMO_USER_NAME,
      attributes: { givenName: 'Ada', surname: 'Lovelace', displayName: 'Ada Lovelace', mail: DEMO_USER_NAME, jobTitle: 'Analyst' },
    },
    adminKey,
  );
  await post(`${directory}/assignments`, { principalType: 'User', principalId: DEMO_USER_ID, appRoleId: DEMO_ROLE }, adminKey);
}
