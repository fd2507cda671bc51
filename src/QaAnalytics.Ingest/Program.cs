// TEMPORARY stub on branch nb: the Ingest project is an Exe and had no entry point yet, so nothing
// that references it (the test project) could build. The loader's real Program.cs replaces this file.
return 0;
