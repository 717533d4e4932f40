import type { UserRecord } from './directory-schemas';

const GIVEN_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Dennis'];
const SURNAMES = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Ritchie'];
const DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'Finance', 'Support'];
const JOB_TITLES = ['Engineer', 'Account Executive', 'Analyst', 'Manager', 'Specialist'];

const NO_PHONES: string[] = [];

/**
 * The `serial`-th seeded user, with plausible, unique, deterministic attributes: enough variety
 * for filters and mappings to chew on. Built as one object, since 100,000 of them are kept.
 */
export function seedUser(serial: number, domain: string, id: string, createdDateTime: string): UserRecord {
  const givenName = GIVEN_NAMES[serial % GIVEN_NAMES.length];
  const surname = SURNAMES[Math.floor(serial / GIVEN_NAMES.length) % SURNAMES.length];
  const alias = `${givenName}.${surname}.${serial}`.toLowerCase();
  return {
    id,
    userPrincipalName: `${alias}@${domain}`,
    mail: `${alias}@${domain}`,
    givenName,
    surname,
    displayName: `${givenName} ${surname} ${serial}`,
    accountEnabled: true,
    jobTitle: JOB_TITLES[serial % JOB_TITLES.length],
    department: DEPARTMENTS[serial % DEPARTMENTS.length],
    employeeId: `E${String(serial).padStart(6, '0')}`,
    employeeType: 'Employee',
    companyName: null,
    officeLocation: null,
    mobilePhone: null,
    businessPhones: NO_PHONES,
    preferredLanguage: 'en-US',
    usageLocation: 'US',
    city: null,
    country: null,
    userType: 'Member',
    mailNickname: alias,
    onPremisesImmutableId: null,
    proxyAddresses: [`SMTP:${alias}@${domain}`],
    createdDateTime,
    deletedDateTime: null,
  };
}
