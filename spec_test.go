package telnyx

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// The spec-coverage test holds the SDK to api/openapi.yml: every operation
// has a method, every property of a covered operation's 2xx answer has a
// field (nested objects and event payload variants included), and every
// enum value has a constant of the field's typed enum. It reads the Go
// types' json tags, the one list of each type's wire fields, so a property
// the spec gains fails here until the type names it.

// specOperations maps each operationId of the spec to the method that calls
// it, as "ServiceType.Method", and to the Go type of its answer's "data"
// (an item's type, for arrays). A nil type means the answer has no data
// member the SDK decodes into a resource type (see the comment).
var specOperations = map[string]struct {
	method string
	data   reflect.Type
}{
	"ListPortoutRequest":                 {"PortoutService.List", reflect.TypeFor[Portout]()},
	"FindPortoutRequest":                 {"PortoutService.Get", reflect.TypeFor[Portout]()},
	"UpdatePortoutStatus":                {"PortoutService.UpdateStatus", reflect.TypeFor[Portout]()},
	"ListPortoutRejections":              {"PortoutService.ListRejectionCodes", reflect.TypeFor[PortoutRejectionCode]()},
	"listPortoutEvents":                  {"PortoutEventService.List", reflect.TypeFor[PortoutEvent]()},
	"showPortoutEvent":                   {"PortoutEventService.Get", reflect.TypeFor[PortoutEvent]()},
	"republishPortoutEvent":              {"PortoutEventService.Republish", nil}, // 204, no body
	"ListPortoutReports":                 {"PortoutReportService.List", reflect.TypeFor[PortoutReport]()},
	"CreatePortoutReport":                {"PortoutReportService.Create", reflect.TypeFor[PortoutReport]()},
	"GetPortoutReport":                   {"PortoutReportService.Get", reflect.TypeFor[PortoutReport]()},
	"FindPortoutComments":                {"PortoutCommentService.List", reflect.TypeFor[PortoutComment]()},
	"PostPortRequestComment":             {"PortoutCommentService.Create", reflect.TypeFor[PortoutComment]()},
	"GetPortRequestSupportingDocuments":  {"PortoutSupportingDocumentService.List", reflect.TypeFor[PortoutSupportingDocument]()},
	"PostPortRequestSupportingDocuments": {"PortoutSupportingDocumentService.Create", reflect.TypeFor[PortoutSupportingDocument]()},
	"ListDocuments":                      {"DocumentService.List", reflect.TypeFor[Document]()},
	"CreateDocument":                     {"DocumentService.Upload", reflect.TypeFor[Document]()}, // and UploadFromURL, its JSON form
	"RetrieveDocument":                   {"DocumentService.Get", reflect.TypeFor[Document]()},
	"UpdateDocument":                     {"DocumentService.Update", reflect.TypeFor[Document]()},
	"DeleteDocument":                     {"DocumentService.Delete", reflect.TypeFor[Document]()},
	"DownloadDocument":                   {"DocumentService.Download", nil},     // the file's bytes, streamed
	"getDocumentDownloadLink":            {"DocumentService.DownloadLink", nil}, // data.url, returned as *url.URL
	"ListDocumentLinks":                  {"DocumentLinkService.List", reflect.TypeFor[DocumentLink]()},
}

// leftOutOperations lists operations the SDK deliberately does not call,
// each with the reason. There are none.
var leftOutOperations = map[string]string{}

// services are the types whose methods specOperations names.
var services = map[string]reflect.Type{
	"PortoutService":                   reflect.TypeFor[*PortoutService](),
	"PortoutEventService":              reflect.TypeFor[*PortoutEventService](),
	"PortoutReportService":             reflect.TypeFor[*PortoutReportService](),
	"PortoutCommentService":            reflect.TypeFor[*PortoutCommentService](),
	"PortoutSupportingDocumentService": reflect.TypeFor[*PortoutSupportingDocumentService](),
	"DocumentService":                  reflect.TypeFor[*DocumentService](),
	"DocumentLinkService":              reflect.TypeFor[*DocumentLinkService](),
}

// eventPayloads maps each event type to the Go type of its payload.
var eventPayloads = map[string]reflect.Type{
	string(PortoutEventStatusChanged):  reflect.TypeFor[PortoutStatusChangedPayload](),
	string(PortoutEventNewComment):     reflect.TypeFor[PortoutNewCommentPayload](),
	string(PortoutEventFocDateChanged): reflect.TypeFor[PortoutFocDateChangedPayload](),
}

type spec struct {
	root map[string]any
}

func loadSpec(t *testing.T) *spec {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("api", "openapi.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := yaml.Unmarshal(b, &root); err != nil {
		t.Fatal(err)
	}
	return &spec{root: root}
}

// resolve follows $ref (and a oneOf or allOf of one schema) to an object.
func (s *spec) resolve(v any) map[string]any {
	m, _ := v.(map[string]any)
	for m != nil {
		if ref, ok := m["$ref"].(string); ok {
			var cur any = s.root
			for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
				cur = cur.(map[string]any)[part]
			}
			m, _ = cur.(map[string]any)
			continue
		}
		for _, key := range []string{"oneOf", "allOf"} {
			if list, ok := m[key].([]any); ok && len(list) == 1 && m["properties"] == nil {
				m, _ = list[0].(map[string]any)
				goto next
			}
		}
		return m
	next:
	}
	return nil
}

type operation struct {
	id, method, path string
	node             map[string]any
}

func (s *spec) operations() []operation {
	var ops []operation
	for path, item := range s.root["paths"].(map[string]any) {
		for method, v := range item.(map[string]any) {
			op, ok := v.(map[string]any)
			if !ok || op["operationId"] == nil {
				continue
			}
			ops = append(ops, operation{id: op["operationId"].(string), method: strings.ToUpper(method), path: path, node: op})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].id < ops[j].id })
	return ops
}

// dataSchema is the schema of the "data" member of op's 2xx JSON answer.
func (s *spec) dataSchema(op operation) map[string]any {
	for code, r := range op.node["responses"].(map[string]any) {
		if !strings.HasPrefix(code, "2") {
			continue
		}
		resp := s.resolve(r)
		content, _ := resp["content"].(map[string]any)
		media, _ := content["application/json"].(map[string]any)
		body := s.resolve(media["schema"])
		if body == nil {
			continue
		}
		props, _ := body["properties"].(map[string]any)
		if d := s.resolve(props["data"]); d != nil {
			if d["type"] == "array" {
				return s.resolve(d["items"])
			}
			return d
		}
	}
	return nil
}

func TestSpecOperationsHaveMethods(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, op := range loadSpec(t).operations() {
		seen[op.id] = true
		if why, ok := leftOutOperations[op.id]; ok {
			t.Logf("%s %s left out: %s", op.method, op.path, why)
			continue
		}
		want, ok := specOperations[op.id]
		if !ok {
			t.Errorf("%s %s (%s) has no SDK method: add one, and name it in specOperations", op.method, op.path, op.id)
			continue
		}
		svc, method, _ := strings.Cut(want.method, ".")
		typ, ok := services[svc]
		if !ok {
			t.Errorf("%s: unknown service %s", op.id, svc)
			continue
		}
		if _, ok := typ.MethodByName(method); !ok {
			t.Errorf("%s %s (%s): %s has no method %s", op.method, op.path, op.id, svc, method)
		}
	}
	for id := range specOperations {
		if !seen[id] {
			t.Errorf("specOperations names %s, which the spec does not have", id)
		}
	}
}

func TestSpecResponsesHaveFields(t *testing.T) {
	t.Parallel()
	s := loadSpec(t)
	enums := enumConstants(t)
	for _, op := range s.operations() {
		want, ok := specOperations[op.id]
		if !ok || want.data == nil {
			continue
		}
		data := s.dataSchema(op)
		if data == nil {
			t.Errorf("%s: no data schema in its 2xx answer", op.id)
			continue
		}
		var problems []string
		if want.data == reflect.TypeFor[PortoutEvent]() {
			problems = s.checkEvent(op.id, data, enums)
		} else {
			problems = s.checkObject(op.id+": "+want.data.Name(), data, want.data, "", enums)
		}
		for _, p := range problems {
			t.Error(p)
		}
	}
}

// checkEvent checks each variant of the event schema against PortoutEvent,
// and its payload against the Go type of that event type's payload.
func (s *spec) checkEvent(where string, data map[string]any, enums map[string][]string) []string {
	var problems []string
	variants, _ := data["oneOf"].([]any)
	if len(variants) == 0 {
		variants = []any{data}
	}
	for _, v := range variants {
		variant := s.resolve(v)
		props := variant["properties"].(map[string]any)
		kind := s.resolve(props["event_type"])["enum"].([]any)[0].(string)
		payloadType, ok := eventPayloads[kind]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: event type %s has no payload type", where, kind))
			continue
		}
		rest := map[string]any{}
		for k, p := range props {
			if k != "payload" {
				rest[k] = p
			}
		}
		problems = append(problems, s.checkObject(where+" "+kind, map[string]any{"properties": rest}, reflect.TypeFor[PortoutEvent](), "", enums)...)
		problems = append(problems, s.checkObject(where+" "+kind+" payload", s.resolve(props["payload"]), payloadType, "", enums)...)
	}
	return problems
}

// checkObject reports each property of schema (whose members' tags start
// with prefix in typ) that typ has no field for, and each enum value
// without a constant.
func (s *spec) checkObject(where string, schema map[string]any, typ reflect.Type, prefix string, enums map[string][]string) []string {
	var problems []string
	props, _ := schema["properties"].(map[string]any)
	tags := jsonTags(typ)
	for name, raw := range props {
		prop := s.resolve(raw)
		full := prefix + name
		if f, ok := tags[full]; ok {
			problems = append(problems, checkEnum(where+"."+full, prop, f.Type, enums)...)
			ft := f.Type
			for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && ft != reflect.TypeFor[time.Time]() {
				inner := prop
				if inner["type"] == "array" {
					inner = s.resolve(inner["items"])
				}
				problems = append(problems, s.checkObject(where+"."+full, inner, ft, "", enums)...)
			}
			continue
		}
		if hasPrefix(tags, full+".") {
			problems = append(problems, s.checkObject(where, prop, typ, full+".", enums)...)
			continue
		}
		problems = append(problems, fmt.Sprintf("%s: spec property %q has no field in %s (no json tag %q)", where, full, typ.Name(), full))
	}
	sort.Strings(problems)
	return problems
}

func checkEnum(where string, prop map[string]any, ft reflect.Type, enums map[string][]string) []string {
	values, _ := prop["enum"].([]any)
	if items, ok := prop["items"].(map[string]any); ok && values == nil {
		values, _ = items["enum"].([]any)
	}
	if len(values) == 0 {
		return nil
	}
	for ft.Kind() == reflect.Slice {
		ft = ft.Elem()
	}
	if ft.Kind() != reflect.String || ft.Name() == "string" {
		return []string{fmt.Sprintf("%s: the spec lists values %v; the field should have a typed enum, not %s", where, values, ft)}
	}
	var problems []string
	have := enums[ft.Name()]
	for _, v := range values {
		if !slices.Contains(have, fmt.Sprint(v)) {
			problems = append(problems, fmt.Sprintf("%s: enum value %q has no %s constant", where, v, ft.Name()))
		}
	}
	return problems
}

// jsonTags maps each json tag name of typ to its field.
func jsonTags(typ reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = f
		}
	}
	return out
}

func hasPrefix(tags map[string]reflect.StructField, prefix string) bool {
	for name := range tags {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// enumConstants reads the package's source for typed string constants:
// type name to the values declared for it.
func enumConstants(t *testing.T) map[string][]string {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, pkg := range pkgs {
		for _, file := range pkg.Files {
			for _, decl := range file.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.CONST {
					continue
				}
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec)
					typ, ok := vs.Type.(*ast.Ident)
					if !ok {
						continue
					}
					for _, v := range vs.Values {
						if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
							s, err := strconv.Unquote(lit.Value)
							if err == nil {
								out[typ.Name] = append(out[typ.Name], s)
							}
						}
					}
				}
			}
		}
	}
	return out
}

// The checks would pass on a spec they failed to read: make sure they read
// it, and that a property or an enum value the Go side lacks is reported.
func TestSpecCoverageCatchesWhatIsMissing(t *testing.T) {
	t.Parallel()
	s := loadSpec(t)
	enums := enumConstants(t)
	var op operation
	for _, o := range s.operations() {
		if o.id == "FindPortoutRequest" {
			op = o
		}
	}
	data := s.dataSchema(op)
	if data == nil || data["properties"].(map[string]any)["support_key"] == nil {
		t.Fatal("FindPortoutRequest's data is PortoutDetails, with support_key")
	}
	if enums["PortoutStatus"] == nil || !slices.Contains(enums["PortoutStatus"], "rejected-pending") {
		t.Fatalf("PortoutStatus constants not read: %v", enums["PortoutStatus"])
	}

	grown := map[string]any{}
	for k, v := range data["properties"].(map[string]any) {
		grown[k] = v
	}
	grown["porting_deadline"] = map[string]any{"type": "string"}
	grown["status"] = map[string]any{"type": "string", "enum": []any{"pending", "on-hold"}}
	got := s.checkObject("probe", map[string]any{"properties": grown}, reflect.TypeFor[Portout](), "", enums)
	want := []string{
		`probe.status: enum value "on-hold" has no PortoutStatus constant`,
		`probe: spec property "porting_deadline" has no field in Portout (no json tag "porting_deadline")`,
	}
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("problems found:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
