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

func TestRunAttachesTheFileAsLOA(t *testing.T) {
	srv := telnyxtest.NewServer()
	defer srv.Close()
	p := srv.AddPortout(telnyx.Portout{})
	path := filepath.Join(t.TempDir(), "loa.pdf")
	content := []byte("%PDF-1.4\nsigned by the account owner\n")
	require.NoError(t, os.WriteFile(path, content, 0o600))

	var out bytes.Buffer
	require.NoError(t, run(t.Context(), srv.Client(), &out, p.ID, path))

	docs, err := srv.Client().Portouts.SupportingDocuments.List(t.Context(), p.ID)
	require.NoError(t, err)
	require.Len(t, docs, 1)
	assert.Equal(t, telnyx.SupportingDocumentLOA, docs[0].Type)
	doc, body, ok := srv.Document(docs[0].DocumentID)
	require.True(t, ok)
	assert.Equal(t, content, body, "the fake holds the file's bytes")
	assert.Equal(t, "loa.pdf", doc.Filename)
	assert.Contains(t, out.String(), "attached document "+docs[0].DocumentID)
}
