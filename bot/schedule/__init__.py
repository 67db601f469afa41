"""Weekly prompt scheduling: when each channel's prompt is due, which theme comes next, and the
`/learn schedule` command syntax. The modules here are pure decisions; time is always passed in."""
