package main

import (
	"os"
	"strings"
	"testing"
)

// The --fake session in the README's CLI section is real output: every
// command in it whose output is the same on every run is run again here
// and must print what the README shows.
func TestREADMESession(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, cli, ok := strings.Cut(string(b), "\n## CLI\n")
	if !ok {
		t.Fatal("README has no CLI section")
	}
	_, session, ok := strings.Cut(cli, "```console\n")
	if !ok {
		t.Fatal("README's CLI section has no console session")
	}
	session, _, _ = strings.Cut(session, "```")

	checked := 0
	for _, block := range strings.Split(session, "\n$ ") {
		cmd, want, _ := strings.Cut(strings.TrimPrefix(block, "$ "), "\n")
		want = strings.TrimSuffix(want, "\n")
		want, _, _ = strings.Cut(want, "\n$ echo $?") // the exit status shown after a command
		args, ok := shellWords(cmd)
		// Skipped: pipes, commands that print random IDs, the listener.
		if !ok || args[0] != progName || args[1] != "--fake" || strings.Contains(cmd, "|") ||
			strings.Contains(cmd, " export ") || strings.Contains(cmd, " listen ") {
			continue
		}
		r, _ := runFake(t, args[2:]...)
		got := strings.TrimSuffix(r.stderr+r.stdout, "\n")
		if got != want && strings.TrimSuffix(r.stdout+r.stderr, "\n") != want {
			t.Errorf("%s\n--- prints ---\n%s\n--- README shows ---\n%s", cmd, got, want)
		}
		checked++
	}
	if checked < 6 {
		t.Errorf("checked only %d commands of the README session", checked)
	}
}

// shellWords splits a command line on spaces, keeping double-quoted words
// whole; it is enough for the README's commands.
func shellWords(s string) ([]string, bool) {
	var words []string
	var cur strings.Builder
	quoted, inWord := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, inWord = !quoted, true
		case r == ' ' && !quoted:
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, !quoted && len(words) >= 2
}
