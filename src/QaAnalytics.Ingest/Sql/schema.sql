-- QaAnalytics star schema. Every snapshot file carries the whole schema; names are stable and
-- documented in docs/schema.md. Grades are stored as Ofsted codes (1 = Outstanding ... 4 =
-- Inadequate); *_score columns turn them round so higher is better (4 = Outstanding).

CREATE TABLE IF NOT EXISTS snapshot_info (
    snapshot_id     VARCHAR PRIMARY KEY,   -- run id that published this snapshot
    schema_version  INTEGER NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    pseudonym_key   VARCHAR NOT NULL       -- key of the run that published it: council | demo (synthetic data only) | none
);

CREATE TABLE IF NOT EXISTS dim_date (
    date_key                DATE PRIMARY KEY,
    year                    INTEGER NOT NULL,
    month                   INTEGER NOT NULL,
    month_start             DATE NOT NULL,
    month_label             VARCHAR NOT NULL,   -- 2022-01
    financial_year          VARCHAR NOT NULL,   -- 2021/22
    financial_year_start    INTEGER NOT NULL,   -- 2021
    financial_quarter       INTEGER NOT NULL,   -- 4
    financial_quarter_label VARCHAR NOT NULL,   -- 2021/22 Q4 (January-March 2022)
    financial_quarter_start DATE NOT NULL,
    weekday                 VARCHAR NOT NULL,
    is_weekend              BOOLEAN NOT NULL,
    bank_holiday            VARCHAR,            -- England and Wales
    is_working_day          BOOLEAN NOT NULL,
    working_day_seq         INTEGER NOT NULL    -- working days since 2015-01-01, inclusive
);

CREATE TABLE IF NOT EXISTS dim_grade (
    grade_code        INTEGER PRIMARY KEY,      -- Ofsted code, 1 = Outstanding
    grade_name        VARCHAR NOT NULL,
    grade_short       VARCHAR NOT NULL,
    grade_score       INTEGER NOT NULL,         -- 4 = Outstanding ... 1 = Inadequate
    is_good_or_better BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS dim_kpi (
    kpi_code            VARCHAR PRIMARY KEY,
    kpi_name            VARCHAR NOT NULL,
    unit                VARCHAR NOT NULL,       -- rate | count | percent
    polarity            VARCHAR NOT NULL,       -- higher_is_better | lower_is_better
    statutory_timescale VARCHAR,
    theme               VARCHAR,                -- Focus 5 theme it triangulates with
    target              DOUBLE,                 -- in the KPI's unit (percent for rates)
    description         VARCHAR,
    source              VARCHAR NOT NULL        -- built-in | kpi_definitions.csv
);

CREATE TABLE IF NOT EXISTS dim_team (
    team_id        VARCHAR PRIMARY KEY,
    la_code        VARCHAR NOT NULL,
    team_name      VARCHAR NOT NULL,
    service_area   VARCHAR NOT NULL,
    parent_team_id VARCHAR,
    run_id         VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS fact_audit (
    audit_id              VARCHAR,
    child_key             VARCHAR NOT NULL,     -- HMAC-SHA256 of child_id, hex; never the raw id
    team_id               VARCHAR NOT NULL,
    worker_id             VARCHAR NOT NULL,
    auditor_id            VARCHAR NOT NULL,
    audit_type            VARCHAR NOT NULL,
    audit_date            DATE NOT NULL,
    overall_grade         INTEGER NOT NULL,
    moderated_grade       INTEGER,
    moderator_id          VARCHAR,
    moderation_date       DATE,
    is_moderated          BOOLEAN NOT NULL,
    effective_grade       INTEGER NOT NULL,     -- moderated where there is one, else overall
    overall_score         INTEGER NOT NULL,
    effective_score       INTEGER NOT NULL,
    grade_change          INTEGER,              -- effective_score - overall_score when moderated (+ = upgraded)
    is_good_or_better     BOOLEAN NOT NULL,     -- on the effective grade
    chronology_grade      INTEGER,
    assessment_grade      INTEGER,
    plan_grade            INTEGER,
    visiting_grade        INTEGER,
    supervision_grade     INTEGER,
    child_voice_evident   BOOLEAN,
    immediate_concern     BOOLEAN,
    reaudit_of            VARCHAR,
    run_id                VARCHAR NOT NULL,
    source_line           BIGINT NOT NULL,
    record_key        UBIGINT                   -- cell key method: fixed key in [0, 2^32), from the row's natural key and the council's secret; never served
);

CREATE TABLE IF NOT EXISTS fact_audit_request (
    request_id       VARCHAR,
    team_id          VARCHAR NOT NULL,
    manager_id       VARCHAR NOT NULL,
    sent_date        DATE NOT NULL,
    due_date         DATE,
    returned_date    DATE,
    audit_id         VARCHAR,
    is_returned      BOOLEAN NOT NULL,
    returned_by_due  BOOLEAN,                   -- null when there is no due date or no return
    run_id           VARCHAR NOT NULL,
    source_line      BIGINT NOT NULL,
    record_key   UBIGINT                   -- cell key method: fixed key in [0, 2^32), from the row's natural key and the council's secret; never served
);

CREATE TABLE IF NOT EXISTS fact_kpi (
    team_id      VARCHAR NOT NULL,
    period       DATE NOT NULL,                 -- first day of the month
    kpi_code     VARCHAR NOT NULL,
    numerator    BIGINT,
    denominator  BIGINT,
    value        DOUBLE,                        -- rate KPIs: numerator / denominator * 100, null when denominator = 0
    run_id       VARCHAR NOT NULL,
    source_line  BIGINT NOT NULL,
    record_key UBIGINT                   -- cell key method: fixed key in [0, 2^32), from the row's natural key and the council's secret; never served
);

CREATE TABLE IF NOT EXISTS fact_complaint (
    record_id           VARCHAR,
    record_type         VARCHAR NOT NULL,       -- complaint | compliment | mp_enquiry
    team_id             VARCHAR,
    received_date       DATE NOT NULL,
    stage               VARCHAR,                -- 1 | 2 | 3 | LGSCO; null for non-complaints
    responded_date      DATE,
    outcome             VARCHAR,
    theme               VARCHAR,
    due_working_days    INTEGER,                -- statutory: stage 1 = 10, stage 2 = 25, stage 3 = 30
    due_date            DATE,
    working_days_taken  INTEGER,
    responded_on_time   BOOLEAN,                -- null while unanswered or where no timescale applies
    run_id              VARCHAR NOT NULL,
    source_line         BIGINT NOT NULL,
    la_code             VARCHAR,                -- the council: the team's, else the row's la_code or --la-code
    record_key          UBIGINT                 -- cell key method: fixed key in [0, 2^32), from the row's natural key and the council's secret; never served
);
-- Snapshots made before la_code was added get it (null: such records keep the old rule, below).
ALTER TABLE fact_complaint ADD COLUMN IF NOT EXISTS la_code VARCHAR;

CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id         VARCHAR NOT NULL,
    file_name      VARCHAR NOT NULL,
    file_kind      VARCHAR NOT NULL,            -- teams | audits | audit_requests | kpis | complaints | kpi_definitions
    sha256         VARCHAR,
    encoding       VARCHAR,
    rows_read      BIGINT NOT NULL,
    rows_accepted  BIGINT NOT NULL,
    rows_rejected  BIGINT NOT NULL,
    rows_new       BIGINT NOT NULL,             -- accepted rows whose key was not yet loaded
    rows_replaced  BIGINT NOT NULL,             -- accepted rows that replaced an earlier version
    started_at     TIMESTAMP NOT NULL,
    ended_at       TIMESTAMP NOT NULL,
    status         VARCHAR NOT NULL,            -- loaded | unchanged | failed
    message        VARCHAR,
    PRIMARY KEY (run_id, file_name)
);

CREATE TABLE IF NOT EXISTS ingest_rejects (
    run_id       VARCHAR NOT NULL,
    file_name    VARCHAR NOT NULL,
    line_no      BIGINT NOT NULL,               -- physical line in the file (header = 1), or sheet row
    column_name  VARCHAR,
    value        VARCHAR,                       -- child_id values are never copied here
    reason       VARCHAR NOT NULL
);

-- Databases made before the cell key method: the record key column, filled as rows are (re)loaded.
ALTER TABLE fact_audit ADD COLUMN IF NOT EXISTS record_key UBIGINT;
ALTER TABLE fact_audit_request ADD COLUMN IF NOT EXISTS record_key UBIGINT;
ALTER TABLE fact_kpi ADD COLUMN IF NOT EXISTS record_key UBIGINT;
ALTER TABLE fact_complaint ADD COLUMN IF NOT EXISTS record_key UBIGINT;
