import {
  compileExpression,
  ExpressionEvaluationError,
  ExpressionValidationError,
  FUNCTION_NAMES,
  type EvaluationContext,
  type EvaluationResult,
} from '../index';

/**
 * Every function with a normal input, a null input and a malformed input (wrong kind of value, bad
 * arity or an unusable context). `error` is a validation code when compileExpression rejects the text,
 * otherwise the code of the ExpressionEvaluationError that evaluation raises.
 */
interface Case {
  readonly text: string;
  readonly attributes?: Record<string, unknown>;
  readonly context?: Partial<EvaluationContext>;
  readonly value?: unknown;
  readonly pattern?: RegExp;
  readonly flow?: 'skip';
  readonly redacted?: boolean;
  readonly error?: string;
}

interface FunctionCases {
  readonly normal: readonly Case[];
  readonly null: readonly Case[];
  readonly malformed: readonly Case[];
}

const NOW = new Date('2021-08-25T17:41:18Z');

/** A deterministic stand-in for the context's random source. */
function seededRandom(seed = 42): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const roles = [
  { id: 'a1', value: 'Admin', displayName: 'Administrator' },
  { id: 'a2', value: 'User', displayName: 'Standard user' },
];
const multi = { m: ['a', 'b'] };

const CASES: Readonly<Record<string, FunctionCases>> = {
  Append: {
    normal: [{ text: 'Append([a], ".test")', attributes: { a: 'john' }, value: 'john.test' }],
    null: [
      { text: 'Append([a], "x")', value: 'x' },
      { text: 'Append([a], [b])', value: null },
    ],
    malformed: [
      { text: 'Append([a])', error: 'WRONG_ARITY' },
      { text: 'Append([m], "x")', attributes: multi, error: 'INVALID_ARGUMENT' },
    ],
  },
  AppRoleAssignmentsComplex: {
    normal: [
      {
        text: 'AppRoleAssignmentsComplex([appRoleAssignments])',
        context: { appRoleAssignments: roles },
        value: [
          { primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'Administrator', value: 'Admin' },
          { primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'Standard user', value: 'User' },
        ],
      },
    ],
    null: [{ text: 'AppRoleAssignmentsComplex([appRoleAssignments])', value: null }],
    malformed: [
      { text: 'AppRoleAssignmentsComplex([mail])', error: 'INVALID_ARGUMENT' },
      { text: 'AppRoleAssignmentsComplex([appRoleAssignments])', context: { appRoleAssignments: 'Admin' as never }, error: 'INVALID_CONTEXT' },
    ],
  },
  BitAnd: {
    normal: [
      { text: 'BitAnd(&HF, &HF7)', value: 7 },
      { text: 'BitAnd([userAccountControl], 2)', attributes: { userAccountControl: '514' }, value: 2 },
      { text: 'BitAnd(&H100000000, &H1FFFFFFFF)', value: 0x100000000 },
    ],
    null: [{ text: 'BitAnd([flags], 2)', error: 'INVALID_ARGUMENT' }],
    malformed: [
      { text: 'BitAnd("a", 1)', error: 'INVALID_ARGUMENT' },
      { text: 'BitAnd(1.5, 1)', error: 'INVALID_ARGUMENT' },
      { text: 'BitAnd([flags], 1)', attributes: { flags: 'lots' }, error: 'INVALID_ARGUMENT' },
      { text: 'BitAnd(1)', error: 'WRONG_ARITY' },
    ],
  },
  CBool: {
    normal: [
      { text: 'CBool([a] = [b])', attributes: { a: 'x', b: 'x' }, value: true },
      { text: 'CBool("0")', value: false },
      { text: 'CBool(5)', value: true },
      { text: 'CBool("true")', value: true },
    ],
    null: [{ text: 'CBool([a])', value: false }],
    malformed: [
      { text: 'CBool("maybe")', error: 'INVALID_ARGUMENT' },
      { text: 'CBool([m])', attributes: multi, error: 'INVALID_ARGUMENT' },
    ],
  },
  CDate: {
    normal: [
      { text: 'CDate("2021-06-30+08:00")', value: '6/29/2021 4:00:00 PM' },
      { text: 'CDate([d])', attributes: { d: '8/25/2021 5:41:18 PM' }, value: '8/25/2021 5:41:18 PM' },
    ],
    null: [{ text: 'CDate([d])', value: null }],
    malformed: [
      { text: 'CDate("next Tuesday")', error: 'INVALID_ARGUMENT' },
      { text: 'CDate("2021-02-30")', error: 'INVALID_ARGUMENT' },
      { text: 'CDate()', error: 'WRONG_ARITY' },
    ],
  },
  Coalesce: {
    normal: [
      { text: 'Coalesce([mail], [upn])', attributes: { upn: 'j@contoso.com' }, value: 'j@contoso.com' },
      { text: 'Coalesce([mail], [upn], "")', value: '' },
      { text: 'Coalesce([proxy], "none")', attributes: { proxy: [] }, value: 'none' },
    ],
    null: [{ text: 'Coalesce([mail], [upn])', value: null }],
    malformed: [{ text: 'Coalesce()', error: 'WRONG_ARITY' }],
  },
  ConvertToBase64: {
    normal: [{ text: 'ConvertToBase64("Hello")', value: 'SABlAGwAbABvAA==' }],
    null: [{ text: 'ConvertToBase64([a])', value: null }],
    malformed: [{ text: 'ConvertToBase64([m])', attributes: multi, error: 'INVALID_ARGUMENT' }],
  },
  ConvertToUTF8Hex: {
    normal: [{ text: 'ConvertToUTF8Hex("é!")', value: 'C3A921' }],
    null: [{ text: 'ConvertToUTF8Hex([a])', value: null }],
    malformed: [{ text: 'ConvertToUTF8Hex("a", "b")', error: 'WRONG_ARITY' }],
  },
  Count: {
    normal: [
      { text: 'Count([m])', attributes: multi, value: 2 },
      { text: 'Count([a])', attributes: { a: 'single' }, value: 1 },
    ],
    null: [{ text: 'Count([m])', value: 0 }],
    malformed: [{ text: 'Count()', error: 'WRONG_ARITY' }],
  },
  CStr: {
    normal: [
      { text: 'CStr(5)', value: '5' },
      { text: 'CStr(IsNull([a]))', value: 'True' },
    ],
    null: [{ text: 'CStr([a])', value: null }],
    malformed: [{ text: 'CStr([m])', attributes: multi, error: 'INVALID_ARGUMENT' }],
  },
  DateAdd: {
    normal: [
      { text: 'DateAdd("ww", 2, "2021-08-25T10:00:00Z")', value: '9/8/2021 10:00:00 AM' },
      { text: 'DateAdd("m", 1, "2021-01-31")', value: '2/28/2021 12:00:00 AM' },
      { text: 'DateAdd("yyyy", 1, "2020-02-29")', value: '2/28/2021 12:00:00 AM' },
      { text: 'DateAdd("n", -90, Now())', value: '8/25/2021 4:11:18 PM' },
    ],
    null: [{ text: 'DateAdd("d", 1, CDate([hireDate]))', value: null }],
    malformed: [
      { text: 'DateAdd("q", 1, Now())', error: 'INVALID_ARGUMENT' },
      { text: 'DateAdd("d", "soon", Now())', error: 'INVALID_ARGUMENT' },
      { text: 'DateAdd([unit], 1, Now())', attributes: { unit: 'fortnight' }, error: 'INVALID_ARGUMENT' },
      { text: 'DateAdd("yyyy", 9000, Now())', error: 'INVALID_ARGUMENT' },
    ],
  },
  DateDiff: {
    normal: [
      { text: 'DateDiff("d", Now(), CDate([hire]))', attributes: { hire: '2021-09-01T00:00:00Z' }, value: 6 },
      { text: 'DateDiff("s", "2021-08-24", "2021-08-24T00:00:01.999Z")', value: 1 },
    ],
    null: [{ text: 'DateDiff("d", Now(), [hire])', value: null }],
    malformed: [
      { text: 'DateDiff("days", Now(), Now())', error: 'INVALID_ARGUMENT' },
      { text: 'DateDiff("d", Now(), [hire])', attributes: { hire: 'soon' }, error: 'INVALID_ARGUMENT' },
    ],
  },
  DateFromNum: {
    normal: [
      { text: 'DateFromNum(129699324000000000)', value: '1/1/2012 11:00:00 PM' },
      { text: 'DateFromNum([accountExpires])', attributes: { accountExpires: '132539615990000000' }, value: '1/1/2021 7:59:59 AM' },
    ],
    null: [{ text: 'DateFromNum([lastLogonTimestamp])', value: null }],
    malformed: [
      { text: 'DateFromNum([t])', attributes: { t: 'yesterday' }, error: 'INVALID_ARGUMENT' },
      { text: 'DateFromNum([t])', attributes: { t: '9223372036854775807' }, error: 'INVALID_ARGUMENT' },
    ],
  },
  DefaultDomain: {
    normal: [{ text: 'DefaultDomain()', context: { defaultDomain: 'contoso.com' }, value: 'contoso.com' }],
    null: [{ text: 'DefaultDomain()', error: 'INVALID_CONTEXT' }],
    malformed: [{ text: 'DefaultDomain("x")', error: 'WRONG_ARITY' }],
  },
  FormatDateTime: {
    normal: [
      { text: 'FormatDateTime([d], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")', attributes: { d: '20150123105347.1Z' }, value: '2015-01-23' },
      { text: 'FormatDateTime([d], , "yyyy-MM-ddzzz", "dd MMM yyyy HH:mm")', attributes: { d: '2020-12-31+08:00' }, value: '30 Dec 2020 16:00' },
      { text: 'FormatDateTime([d], "None", "M/d/yyyy", "yyyy-MM-dd")', attributes: { d: '2/5/2024' }, value: '2024-02-05' },
      // The 2020 docs' three-argument form: no dateTimeStyles.
      { text: 'FormatDateTime([d], "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")', attributes: { d: '20150123105347.1Z' }, value: '2015-01-23' },
    ],
    null: [{ text: 'FormatDateTime([d], , "yyyy", "yy")', value: null }],
    malformed: [
      { text: 'FormatDateTime([d], , "yyyy-MM-dd", "yyyy")', attributes: { d: '31/12/2020' }, error: 'INVALID_ARGUMENT' },
      { text: 'FormatDateTime([d], "Sometimes", "yyyy", "yyyy")', error: 'INVALID_ARGUMENT' },
      { text: 'FormatDateTime([d], "yyyy")', error: 'WRONG_ARITY' },
      { text: 'FormatDateTime([d], "yyyy-MM-dd", "yyyy")', attributes: { d: '31/12/2020' }, error: 'INVALID_ARGUMENT' },
    ],
  },
  Guid: {
    normal: [
      { text: 'Guid()', pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/ },
      { text: 'Guid()', context: { random: () => 0 }, value: '00000000-0000-4000-8000-000000000000' },
    ],
    null: [{ text: 'Guid()', context: { random: () => Number.NaN }, error: 'INVALID_CONTEXT' }],
    malformed: [{ text: 'Guid("seed")', error: 'WRONG_ARITY' }],
  },
  IgnoreFlowIfNullOrEmpty: {
    normal: [{ text: 'IgnoreFlowIfNullOrEmpty([department])', attributes: { department: 'Sales' }, value: 'Sales' }],
    null: [
      { text: 'IgnoreFlowIfNullOrEmpty([department])', value: null, flow: 'skip' },
      { text: 'IgnoreFlowIfNullOrEmpty([department])', attributes: { department: '' }, value: null, flow: 'skip' },
    ],
    malformed: [{ text: 'IgnoreFlowIfNullOrEmpty()', error: 'WRONG_ARITY' }],
  },
  IIF: {
    normal: [
      { text: 'IIF([country]="USA",[country],[department])', attributes: { country: 'FR', department: 'Sales' }, value: 'Sales' },
      { text: 'IIF(Len([n]) >= 3, "long", "short")', attributes: { n: 'ab' }, value: 'short' },
      { text: 'IIF(IsNull([x]), "yes", "no")', attributes: { x: 'set' }, value: 'no' },
    ],
    null: [{ text: 'IIF([country]="USA","a","b")', error: 'CONDITION_ON_EMPTY_ATTRIBUTE' }],
    malformed: [
      { text: 'IIF("maybe", 1, 2)', error: 'INVALID_ARGUMENT' },
      { text: 'IIF([a] = 1, 1, 2)', attributes: { a: 'one' }, error: 'INVALID_ARGUMENT' },
      { text: 'IIF([a] = "x", 1)', error: 'WRONG_ARITY' },
    ],
  },
  InStr: {
    normal: [
      { text: 'InStr("The quick brown fox","quick")', value: 5 },
      { text: 'InStr("repEated","e",3,vbTextCompare)', value: 4 },
      { text: 'InStr("abc","z")', value: 0 },
      { text: 'InStr("abc","c",9)', value: 0 },
    ],
    null: [{ text: 'InStr([a],"x")', value: 0 }],
    malformed: [
      { text: 'InStr("abc","b",0)', error: 'INVALID_ARGUMENT' },
      { text: 'InStr("abc","b",1,7)', error: 'INVALID_ARGUMENT' },
      { text: 'InStr("abc","b",1,vbFancyCompare)', error: 'UNKNOWN_NAME' },
    ],
  },
  IsNull: {
    normal: [{ text: 'IsNull([a])', attributes: { a: '' }, value: false }],
    null: [
      { text: 'IsNull([a])', value: true },
      { text: 'IsNull([proxy])', attributes: { proxy: [] }, value: true },
    ],
    malformed: [{ text: 'IsNull()', error: 'WRONG_ARITY' }],
  },
  IsNullOrEmpty: {
    normal: [{ text: 'IsNullOrEmpty([a])', attributes: { a: 'x' }, value: false }],
    null: [
      { text: 'IsNullOrEmpty([a])', value: true },
      { text: 'IsNullOrEmpty([a])', attributes: { a: '' }, value: true },
    ],
    malformed: [{ text: 'IsNullOrEmpty([a], [b])', error: 'WRONG_ARITY' }],
  },
  IsPresent: {
    normal: [{ text: 'IsPresent([a])', attributes: { a: 'x' }, value: true }],
    null: [{ text: 'IsPresent([a])', value: false }],
    malformed: [{ text: 'IsPresent()', error: 'WRONG_ARITY' }],
  },
  IsString: {
    normal: [
      { text: 'IsString([a])', attributes: { a: 'x' }, value: true },
      { text: 'IsString([m])', attributes: multi, value: false },
    ],
    null: [{ text: 'IsString([a])', value: false }],
    malformed: [{ text: 'IsString()', error: 'WRONG_ARITY' }],
  },
  Item: {
    normal: [
      { text: 'Item([m], 2)', attributes: multi, value: 'b' },
      { text: 'Item([m], 3)', attributes: multi, value: null },
    ],
    null: [{ text: 'Item([m], 1)', value: null }],
    malformed: [
      { text: 'Item([m], 0)', error: 'INVALID_ARGUMENT' },
      { text: 'Item([m], "first")', error: 'INVALID_ARGUMENT' },
      { text: 'Item([m], [i])', attributes: { ...multi, i: '-1' }, error: 'INVALID_ARGUMENT' },
    ],
  },
  Join: {
    normal: [
      { text: 'Join(", ", [surname], [givenName])', attributes: { surname: 'Doe', givenName: 'John' }, value: 'Doe, John' },
      { text: 'Join(";", [m], 7, [missing])', attributes: multi, value: 'a;b;7' },
    ],
    null: [{ text: 'Join(",", [a], [b])', value: null }],
    malformed: [
      { text: 'Join(",")', error: 'WRONG_ARITY' },
      { text: 'Join([m], "a", "b")', attributes: multi, error: 'INVALID_ARGUMENT' },
    ],
  },
  Left: {
    normal: [
      { text: 'Left("John Doe", 3)', value: 'Joh' },
      { text: 'Left("John", 0)', value: '' },
      { text: 'Left("John", -1)', value: 'John' },
      { text: 'Left("Jo", 5)', value: 'Jo' },
    ],
    null: [{ text: 'Left([a], 2)', value: '' }],
    malformed: [
      { text: 'Left("abc", "two")', error: 'INVALID_ARGUMENT' },
      { text: 'Left("abc", [n])', attributes: { n: '1.5' }, error: 'INVALID_ARGUMENT' },
    ],
  },
  Len: {
    normal: [
      { text: 'Len("John Doe")', value: 8 },
      { text: 'Len(42568)', value: 5 },
    ],
    null: [{ text: 'Len([a])', value: 0 }],
    malformed: [{ text: 'Len([m])', attributes: multi, error: 'INVALID_ARGUMENT' }],
  },
  Mid: {
    normal: [
      { text: 'Mid("John", 2, 2)', value: 'oh' },
      { text: 'Mid("Doe", 1, 5)', value: 'Doe' },
      { text: 'Mid("Doe", 5, 1)', value: '' },
    ],
    null: [{ text: 'Mid([a], 1, 3)', value: null }],
    malformed: [
      { text: 'Mid("abc", 0, 1)', error: 'INVALID_ARGUMENT' },
      { text: 'Mid("abc", 1, -1)', error: 'INVALID_ARGUMENT' },
      { text: 'Mid("abc", 1)', error: 'WRONG_ARITY' },
    ],
  },
  NormalizeDiacritics: {
    normal: [
      { text: 'NormalizeDiacritics("Zoë Ångström-Øster, Straße")', value: 'Zoe Angstrom-OEster, Strasse' },
      { text: 'NormalizeDiacritics([n])', attributes: { n: 'Zoe\u0308 A\u0304\u0301' }, value: 'Zoe A' },
    ],
    null: [{ text: 'NormalizeDiacritics([n])', value: null }],
    malformed: [{ text: 'NormalizeDiacritics([m])', attributes: multi, error: 'INVALID_ARGUMENT' }],
  },
  Not: {
    normal: [
      { text: 'Not("True")', value: false },
      { text: 'Not("False")', value: true },
      { text: 'Not([IsSoftDeleted])', context: { isSoftDeleted: true }, value: false },
      { text: 'Not([IsSoftDeleted])', value: true },
    ],
    null: [{ text: 'Not([flag])', value: true }],
    malformed: [{ text: 'Not([m])', attributes: multi, error: 'INVALID_ARGUMENT' }],
  },
  Now: {
    normal: [{ text: 'Now()', value: '8/25/2021 5:41:18 PM' }],
    null: [{ text: 'Now()', context: { now: () => new Date(Number.NaN) }, error: 'INVALID_CONTEXT' }],
    malformed: [{ text: 'Now("UTC")', error: 'WRONG_ARITY' }],
  },
  NumFromDate: {
    normal: [
      { text: 'NumFromDate("2020-12-31 23:59:59-08:00")', value: '132539615990000000' },
      { text: 'NumFromDate("1601-01-01T00:00:00Z")', value: '0' },
    ],
    null: [{ text: 'NumFromDate([end])', value: null }],
    malformed: [
      { text: 'NumFromDate("end of year")', error: 'INVALID_ARGUMENT' },
      { text: 'NumFromDate("1600-12-31")', error: 'INVALID_ARGUMENT' },
    ],
  },
  PCase: {
    normal: [
      { text: 'PCase("PABLO GONSALVES (SECOND)")', value: 'Pablo Gonsalves (Second)' },
      { text: 'PCase("o\'NEIL mcDONALD-smith")', value: "O'neil Mcdonald-Smith" },
      { text: 'PCase("PINTO-DE\'SILVA", " \'-")', value: "Pinto-De'Silva" },
    ],
    null: [{ text: 'PCase([a])', value: null }],
    malformed: [{ text: 'PCase("a", " ", "x")', error: 'WRONG_ARITY' }],
  },
  RandomString: {
    normal: [
      { text: 'RandomString(6,3,0,0,3)', pattern: /^(?=(?:\D*\d){3})(?=(?:[^a-z]*[a-z]){3})[0-9a-z]{6}$/ },
      { text: 'RandomString(12,0,0,0,0,"0123456789")', pattern: /^\D{12}$/ },
    ],
    null: [{ text: 'RandomString([len],1,1,1,1)', error: 'INVALID_ARGUMENT' }],
    malformed: [
      { text: 'RandomString(300,1,1,1,1)', error: 'INVALID_ARGUMENT' },
      { text: 'RandomString(3,1,1,1,1)', error: 'INVALID_ARGUMENT' },
      { text: 'RandomString(5,1,0,0,0,"0123456789")', error: 'INVALID_ARGUMENT' },
      { text: 'RandomString(5,1,1,1)', error: 'WRONG_ARITY' },
    ],
  },
  Redact: {
    normal: [{ text: 'Redact([upn])', attributes: { upn: 'j@contoso.com' }, value: 'j@contoso.com', redacted: true }],
    null: [{ text: 'Redact([upn])', value: null, redacted: true }],
    malformed: [{ text: 'Redact()', error: 'WRONG_ARITY' }],
  },
  RemoveDuplicates: {
    normal: [
      { text: 'RemoveDuplicates([m])', attributes: { m: ['a', 'b', 'a', 'A'] }, value: ['a', 'b', 'A'] },
      { text: 'RemoveDuplicates([a])', attributes: { a: 'x' }, value: 'x' },
    ],
    null: [{ text: 'RemoveDuplicates([m])', value: null }],
    malformed: [{ text: 'RemoveDuplicates()', error: 'WRONG_ARITY' }],
  },
  Replace: {
    normal: [{ text: 'Replace([mail], "@contoso.com", , , "", , )', attributes: { mail: 'john@contoso.com' }, value: 'john' }],
    null: [{ text: 'Replace([mail], "@contoso.com", , , "", , )', value: null }],
    malformed: [
      { text: 'Replace([mail], , , , "", , )', error: 'INVALID_ARGUMENT' },
      { text: 'Replace([mail], , "(unclosed", , "", , )', error: 'INVALID_ARGUMENT' },
      { text: 'Replace([mail], , [pattern], , "", , )', attributes: { mail: 'x', pattern: '[' }, error: 'INVALID_ARGUMENT' },
    ],
  },
  SelectUniqueValue: {
    normal: [
      { text: 'SelectUniqueValue("a@contoso.com", "b@contoso.com")', context: { isUnique: (v) => v.startsWith('b') }, value: 'b@contoso.com' },
      { text: 'SelectUniqueValue([x], "fallback")', value: 'fallback' },
    ],
    null: [{ text: 'SelectUniqueValue([x], [y])', error: 'NO_UNIQUE_VALUE' }],
    malformed: [
      { text: 'SelectUniqueValue("only")', error: 'WRONG_ARITY' },
      { text: 'ToLower(SelectUniqueValue("a", "b"))', error: 'MISPLACED_FUNCTION' },
      { text: 'SelectUniqueValue("a", "b")', context: { isUnique: () => false }, error: 'NO_UNIQUE_VALUE' },
    ],
  },
  SingleAppRoleAssignment: {
    normal: [{ text: 'SingleAppRoleAssignment([appRoleAssignments])', context: { appRoleAssignments: roles.slice(0, 1) }, value: 'Admin' }],
    null: [{ text: 'SingleAppRoleAssignment([appRoleAssignments])', value: null }],
    malformed: [
      { text: 'SingleAppRoleAssignment([appRoleAssignments])', context: { appRoleAssignments: roles }, error: 'INVALID_ARGUMENT' },
      { text: 'SingleAppRoleAssignment("Admin")', error: 'INVALID_ARGUMENT' },
    ],
  },
  Split: {
    normal: [
      { text: 'Split([p], ",")', attributes: { p: 'One, Two' }, value: ['One', 'Two'] },
      { text: 'Split("a||b", "||")', value: ['a', 'b'] },
    ],
    null: [{ text: 'Split([p], ",")', value: null }],
    malformed: [
      { text: 'Split([m], ",")', attributes: multi, error: 'INVALID_ARGUMENT' },
      { text: 'Split("a,b", [d])', error: 'INVALID_ARGUMENT' },
    ],
  },
  StripSpaces: {
    normal: [{ text: 'StripSpaces(" Mary Ann  Smith ")', value: 'MaryAnnSmith' }],
    null: [{ text: 'StripSpaces([a])', value: null }],
    malformed: [{ text: 'StripSpaces([m])', attributes: multi, error: 'INVALID_ARGUMENT' }],
  },
  Switch: {
    normal: [
      { text: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")', value: 'True' },
      { text: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")', context: { isSoftDeleted: true }, value: 'False' },
      { text: 'Switch([state], "other", "NSW", "Sydney")', attributes: { state: 'nsw' }, value: 'other' },
    ],
    null: [
      { text: 'Switch([country], [country], "", "Other")', value: 'Other' },
      { text: 'Switch([state], , "NSW", "Sydney")', value: null },
    ],
    malformed: [
      { text: 'Switch([state], "d", "NSW")', error: 'WRONG_ARITY' },
      { text: 'Switch([m], "d", "a", "b")', attributes: multi, error: 'INVALID_ARGUMENT' },
    ],
  },
  ToLower: {
    normal: [
      { text: 'ToLower("John.DOE@Contoso.com")', value: 'john.doe@contoso.com' },
      { text: 'ToLower("TITLE", "tr-TR")', value: 'tıtle' },
    ],
    null: [{ text: 'ToLower([a])', value: null }],
    malformed: [
      { text: 'ToLower("a", "not a culture")', error: 'INVALID_ARGUMENT' },
      { text: 'ToLower("a", [c])', attributes: { c: 'english please' }, error: 'INVALID_ARGUMENT' },
    ],
  },
  ToUpper: {
    normal: [
      { text: 'ToUpper("john")', value: 'JOHN' },
      { text: 'ToUpper("istanbul", "tr-TR")', value: 'İSTANBUL' },
    ],
    null: [{ text: 'ToUpper([a])', value: null }],
    malformed: [{ text: 'ToUpper([m])', attributes: multi, error: 'INVALID_ARGUMENT' }],
  },
  Word: {
    normal: [
      { text: 'Word("The quick brown fox",3," ")', value: 'brown' },
      { text: 'Word("a,,b",2,",")', value: 'b' },
      { text: 'Word("a b",5," ")', value: '' },
      { text: 'Word("a b",0," ")', value: '' },
    ],
    null: [{ text: 'Word([a],1," ")', value: '' }],
    malformed: [{ text: 'Word("a b","second"," ")', error: 'INVALID_ARGUMENT' }],
  },
};

function run(testCase: Case): EvaluationResult {
  return compileExpression(testCase.text).evaluate({
    attributes: testCase.attributes ?? {},
    now: () => NOW,
    random: seededRandom(),
    ...testCase.context,
  });
}

function codeOf(error: unknown): string | undefined {
  if (error instanceof ExpressionEvaluationError) return error.code;
  if (error instanceof ExpressionValidationError) return error.problems.find((p) => p.severity === 'error')?.code;
  return undefined;
}

function verify(testCase: Case): void {
  if (testCase.error !== undefined) {
    let thrown: unknown;
    try {
      run(testCase);
    } catch (error) {
      thrown = error;
    }
    expect(codeOf(thrown)).toBe(testCase.error);
    return;
  }
  const result = run(testCase);
  if (testCase.pattern !== undefined) expect(result.value).toMatch(testCase.pattern);
  else expect(result.value).toEqual(testCase.value);
  expect(result.flow).toBe(testCase.flow ?? 'continue');
  expect(result.redacted).toBe(testCase.redacted ?? false);
}

describe('function table', () => {
  it('covers every function with normal, null and malformed inputs', () => {
    expect(Object.keys(CASES).sort()).toEqual([...FUNCTION_NAMES].sort());
    for (const cases of Object.values(CASES)) {
      expect([cases.normal.length, cases.null.length, cases.malformed.length]).not.toContain(0);
    }
  });

  describe.each(Object.entries(CASES))('%s', (_name, cases) => {
    it.each(cases.normal.map((c) => [c.text, c]))('normal: %s', (_text, c) => verify(c));
    it.each(cases.null.map((c) => [c.text, c]))('null: %s', (_text, c) => verify(c));
    it.each(cases.malformed.map((c) => [c.text, c]))('malformed: %s', (_text, c) => verify(c));
  });
});
