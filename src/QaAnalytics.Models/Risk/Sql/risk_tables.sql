-- The risk model's tables in a snapshot, written by `qa-ingest model score` (each score replaces
-- them): flags per team × quarter with reasons, the model's metrics, its backtest per quarter, its
-- calibration and its global feature importance. Every row carries the scoring run and model version.
CREATE OR REPLACE TABLE risk_flags (
    run_id             VARCHAR NOT NULL,   -- the scoring run (= snapshot_info.snapshot_id of the snapshot it published)
    model_version      VARCHAR NOT NULL,
    scored_snapshot_id VARCHAR NOT NULL,   -- the snapshot whose data was scored
    la_code            VARCHAR NOT NULL,
    service_area       VARCHAR NOT NULL,
    team_id            VARCHAR NOT NULL,
    team_name          VARCHAR NOT NULL,
    quarter            VARCHAR NOT NULL,   -- financial quarter, e.g. 2025/26 Q3; the flag is about the quarter after it
    quarter_start      DATE NOT NULL,
    probability        DOUBLE NOT NULL,    -- calibrated probability of declining practice quality over the next two quarters
    band               VARCHAR NOT NULL,   -- high | watch | low
    reason_1           VARCHAR,
    reason_2           VARCHAR,
    reason_3           VARCHAR,
    reason_features    VARCHAR,            -- the features behind the reasons, comma separated
    audits             BIGINT NOT NULL,    -- original audits of the team in the quarter
    in_training_window BOOLEAN NOT NULL,   -- the model saw this quarter's outcome in training
    drivers_pressure   VARCHAR[] NOT NULL, -- reasons from the pressure, compliance and complaints signals, largest first
    drivers_history    VARCHAR[] NOT NULL  -- reasons from the grade history, largest first
);

CREATE OR REPLACE TABLE risk_model (
    run_id VARCHAR NOT NULL, model_version VARCHAR NOT NULL, scored_snapshot_id VARCHAR NOT NULL, scored_at TIMESTAMP NOT NULL,
    trained_at TIMESTAMP NOT NULL, trained_on_snapshot VARCHAR NOT NULL, training_from VARCHAR NOT NULL, training_to VARCHAR NOT NULL,
    training_rows BIGINT NOT NULL, training_declines BIGINT NOT NULL,
    label_definition VARCHAR NOT NULL, features VARCHAR NOT NULL, trainer VARCHAR NOT NULL, baseline VARCHAR NOT NULL, seed INTEGER NOT NULL,
    base_rate DOUBLE NOT NULL, band_high DOUBLE NOT NULL, band_watch DOUBLE NOT NULL,
    backtest_quarters BIGINT NOT NULL, backtest_rows BIGINT NOT NULL, backtest_declines BIGINT NOT NULL, backtest_base_rate DOUBLE,
    model_roc_auc DOUBLE, model_pr_auc DOUBLE, model_precision DOUBLE, model_recall DOUBLE, model_brier DOUBLE,
    baseline_roc_auc DOUBLE, baseline_pr_auc DOUBLE, baseline_precision DOUBLE, baseline_recall DOUBLE, baseline_brier DOUBLE,
    beats_baseline BOOLEAN NOT NULL,       -- the 95% intervals of model minus baseline, PR-AUC and ROC-AUC, both above zero
    verdict VARCHAR NOT NULL,
    -- model minus the grades-only baseline in the backtest, with 95% team-clustered bootstrap intervals
    margin_pr_auc DOUBLE, margin_pr_auc_lower DOUBLE, margin_pr_auc_upper DOUBLE,
    margin_roc_auc DOUBLE, margin_roc_auc_lower DOUBLE, margin_roc_auc_upper DOUBLE,
    bootstrap_resamples BIGINT, bootstrap_teams BIGINT,
    calibrator VARCHAR NOT NULL,           -- platt | isotonic: the lower backtest Brier score
    platt_brier DOUBLE, isotonic_brier DOUBLE,
    bands_widened BOOLEAN NOT NULL         -- no evidence: band thresholds raised
);

CREATE OR REPLACE TABLE risk_backtest (
    model_version VARCHAR NOT NULL, quarter VARCHAR NOT NULL, train_rows BIGINT NOT NULL, test_rows BIGINT NOT NULL, declines BIGINT NOT NULL,
    threshold DOUBLE NOT NULL, model_roc_auc DOUBLE, baseline_roc_auc DOUBLE, model_pr_auc DOUBLE, baseline_pr_auc DOUBLE
);

CREATE OR REPLACE TABLE risk_calibration (
    model_version VARCHAR NOT NULL, scorer VARCHAR NOT NULL,   -- model | baseline
    bin_from DOUBLE NOT NULL, bin_to DOUBLE NOT NULL, n BIGINT NOT NULL, mean_predicted DOUBLE NOT NULL, observed_rate DOUBLE NOT NULL,
    declines BIGINT NOT NULL
);

CREATE OR REPLACE TABLE risk_importance (
    model_version VARCHAR NOT NULL, rank INTEGER NOT NULL, feature VARCHAR NOT NULL, words VARCHAR NOT NULL,
    roc_auc_drop DOUBLE NOT NULL, pr_auc_drop DOUBLE NOT NULL, pressure_driver BOOLEAN NOT NULL
);
