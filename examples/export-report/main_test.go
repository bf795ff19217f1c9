package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

func TestRunSavesTheCSVAndNothingElse(t *testing.T) {
	srv := telnyxtest.NewServer(telnyxtest.WithReportPolls(2))
	defer srv.Close()
	srv.AddPortout(telnyx.Portout{SupportKey: "PO_300001", PhoneNumbers: []string{"+13125550142"}})
	srv.AddPortout(telnyx.Portout{SupportKey: "PO_300002", PhoneNumbers: []string{"+14165550199"}})

	dir := t.TempDir()
	path := filepath.Join(dir, "portouts.csv")
	var progress bytes.Buffer
	require.NoError(t, run(t.Context(), srv.Client(), &progress, path))

	csv, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(csv), "PO_300001")
	assert.Contains(t, string(csv), "+14165550199")
	assert.Contains(t, progress.String(), "is pending")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "the temporary file is gone")
	assert.Equal(t, "portouts.csv", entries[0].Name())
}
