-- Helpers for validating staged text. Created as TEMP macros on the loading connection only, so
-- they never appear in a published snapshot. {grade_exact} and {grade_case} are filled from
-- GradeParser.Aliases. Each value is parsed once (in chk); the checks only compare results.

CREATE OR REPLACE TEMP MACRO blank(x) AS NULLIF(trim(x), '');

-- Same rule as GradeParser.Normalise: lower case, punctuation to spaces, single spaces.
CREATE OR REPLACE TEMP MACRO norm(x) AS trim(regexp_replace(lower(x), '[^a-z0-9]+', ' ', 'g'));

-- Common spellings match exactly and cheaply; anything else goes through norm().
CREATE OR REPLACE TEMP MACRO grade_code(x) AS
    CASE trim(x) {grade_exact} ELSE CASE norm(x) {grade_case} ELSE NULL END END;

-- yyyy-mm-dd or UK dd/mm/yyyy (optionally with a time, as Excel writes); never US order.
-- ISO dates take DuckDB's fast date cast (year first, so a UK date never parses there).
CREATE OR REPLACE TEMP MACRO qa_date(x) AS coalesce(
    TRY_CAST(trim(x) AS DATE),
    CAST(try_strptime(trim(x), '%d/%m/%Y') AS DATE),
    CAST(try_strptime(trim(x), '%d/%m/%Y %H:%M:%S') AS DATE),
    CAST(try_strptime(trim(x), '%d/%m/%Y %H:%M') AS DATE));

-- Why a date text is unusable given its parsed value d, or NULL when it is blank or a good date in range.
CREATE OR REPLACE TEMP MACRO date_problem(x, d) AS CASE
    WHEN blank(x) IS NULL THEN NULL
    WHEN d IS NOT NULL THEN CASE WHEN d < DATE '2015-01-01' OR d > DATE '2030-12-31'
        THEN 'is outside the supported range 2015-01-01 to 2030-12-31; check the year' END
    WHEN regexp_matches(trim(x), '^[0-9]{1,2}/(1[3-9]|2[0-9]|3[01])/[0-9]{4}$')
        THEN 'looks like US month/day order; write dates as dd/mm/yyyy or yyyy-mm-dd'
    WHEN regexp_matches(trim(x), '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$|^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$')
        THEN 'is not a real calendar date'
    ELSE 'is not a date; write dates as yyyy-mm-dd or dd/mm/yyyy' END;

CREATE OR REPLACE TEMP MACRO yes_no(x) AS CASE lower(trim(x))
    WHEN 'y' THEN TRUE WHEN 'yes' THEN TRUE WHEN 'true' THEN TRUE WHEN '1' THEN TRUE
    WHEN 'n' THEN FALSE WHEN 'no' THEN FALSE WHEN 'false' THEN FALSE WHEN '0' THEN FALSE
    ELSE NULL END;

-- Child ids are pseudonymised by qa_hmac(x), HMAC-SHA256 under the council's key as lower-case
-- hex, a scalar function registered from C# (PseudonymFunction): the key never reaches SQL.

CREATE OR REPLACE TEMP MACRO unknown_team(col) AS
    col || ' is not in teams.csv or an earlier load; add the team or correct the id';

CREATE OR REPLACE TEMP MACRO grade_words() AS '{grade_words}';

-- Cell key method: a record's fixed key in [0, 2^32), the hash of SHA-256 over the loader's record
-- secret followed by the record's natural key. The record secret is derived from the council's
-- pseudonymisation key (Pseudonymiser.RecordKeySecret) and passed as the session variable
-- record_secret: it is never in SQL text or the snapshot, so a reload keeps every key and no one
-- without the council's key can work one out (record keys are never served, so a keyed prefix is
-- enough: no one sees a hash to extend). DuckDB's own sha256 runs vectorised, one block for most
-- keys. Random where a load has no key (no audits in it).
CREATE OR REPLACE TEMP MACRO record_key(k) AS
    CASE WHEN getvariable('record_secret') IS NULL THEN hash(random())
         ELSE hash(sha256(getvariable('record_secret') || k)) END % 4294967296;
