// TEMPORARY stub on branch gen: the Ingest project is an Exe with no entry point yet, so nothing that
// references it (the test project) could build. The CLI's real Program.cs replaces this file.
return 0;
