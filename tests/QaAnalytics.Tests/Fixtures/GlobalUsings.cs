// The shared fixtures (test files, datasets, service instances, tokens) are used all over the suite.
global using QaAnalytics.Tests.Fixtures;
