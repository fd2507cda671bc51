-- Helpers for validating staged text. Created as TEMP macros on the loading connection only, so
-- they never appear in a published snapshot. {grade_case} is filled from GradeParser.Aliases.

CREATE OR REPLACE TEMP MACRO blank(x) AS NULLIF(trim(x), '');

-- Same rule as GradeParser.Normalise: lower case, punctuation to spaces, single spaces.
CREATE OR REPLACE TEMP MACRO norm(x) AS trim(regexp_replace(lower(x), '[^a-z0-9]+', ' ', 'g'));

CREATE OR REPLACE TEMP MACRO grade_code(x) AS CASE norm(x) {grade_case} ELSE NULL END;

-- yyyy-mm-dd or UK dd/mm/yyyy (optionally with a midnight time as Excel writes); never US order.
CREATE OR REPLACE TEMP MACRO qa_date(x) AS CAST(coalesce(
    try_strptime(trim(x), '%Y-%m-%d'),
    try_strptime(trim(x), '%d/%m/%Y'),
    try_strptime(trim(x), '%Y-%m-%d %H:%M:%S'),
    try_strptime(trim(x), '%d/%m/%Y %H:%M:%S'),
    try_strptime(trim(x), '%d/%m/%Y %H:%M')) AS DATE);

-- Why a non-blank date text is unusable, or NULL when it is a good date in range.
CREATE OR REPLACE TEMP MACRO date_problem(x) AS CASE
    WHEN blank(x) IS NULL THEN NULL
    WHEN qa_date(x) IS NOT NULL THEN CASE
        WHEN qa_date(x) < DATE '2015-01-01' OR qa_date(x) > DATE '2030-12-31'
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

CREATE OR REPLACE TEMP MACRO err(col, val, reason) AS {'column_name': col, 'value': val, 'reason': reason};

-- A required text field.
CREATE OR REPLACE TEMP MACRO need(col, x, what) AS
    CASE WHEN blank(x) IS NULL THEN err(col, NULL, col || ' is blank; ' || what) END;

-- A required or optional date field.
CREATE OR REPLACE TEMP MACRO date_err(col, x) AS
    CASE WHEN date_problem(x) IS NOT NULL THEN err(col, x, col || ' ' || date_problem(x)) END;

CREATE OR REPLACE TEMP MACRO grade_err(col, x) AS
    CASE WHEN blank(x) IS NOT NULL AND grade_code(x) IS NULL
    THEN err(col, x, col || ' is not a grade; use {grade_words}') END;

CREATE OR REPLACE TEMP MACRO yes_no_err(col, x) AS
    CASE WHEN blank(x) IS NOT NULL AND yes_no(x) IS NULL THEN err(col, x, col || ' must be Y or N') END;

-- HMAC-SHA256 from the key's inner and outer pads (computed in C#; the key itself never reaches SQL).
CREATE OR REPLACE TEMP MACRO hmac_hex(ipad, opad, x) AS sha256(opad || unhex(sha256(ipad || encode(x))));
