// Package crashtest holds the crash test of the daemon: it runs the built
// newswatch binary against a local multilingual news site, a webhook
// receiver that checks signatures and fails on purpose, and Mailpit, kills
// it with SIGKILL at random moments, and checks that no alert was lost,
// misdirected or duplicated under a different id. It has no non-test code.
package crashtest
