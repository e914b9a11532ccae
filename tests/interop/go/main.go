// Command lagetverify checks a Laget transparency log over HTTP the way an outside witness
// would, with nothing but Go's reference transparency-log code (golang.org/x/mod/sumdb/note
// and sumdb/tlog) and the published formats: C2SP signed-note, tlog-checkpoint and tlog-tiles
// (tile height 8), RFC 6962 hashing. It has never seen Laget's code.
//
// It verifies the checkpoint's signature with the published key, recomputes the root from the
// hash tiles, rebuilds the whole tree from the entry bundles and compares every served tile
// with it, and checks the inclusion and consistency proofs the API gives (also against an
// earlier checkpoint, as a witness that saw it would).
//
// Usage:
//
//	lagetverify -url http://host:port [-token T] [-key VKEY] [-old-checkpoint FILE] [-leaf N]
//
// It prints "OK <size> <base64 root>" and exits 0 when everything verifies; otherwise it
// prints "FAIL: <reason>" and exits 1.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// tileHeight is fixed by C2SP tlog-tiles.
const tileHeight = 8

type client struct {
	base  string
	token string
	http  *http.Client
}

// get fetches base+path and checks the status and, when wantType is set, the media type.
func (c *client) get(path, wantType string) ([]byte, error) {
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		return nil, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<24))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
	}
	if wantType != "" {
		got := strings.ToLower(strings.ReplaceAll(resp.Header.Get("Content-Type"), " ", ""))
		if got != wantType {
			return nil, fmt.Errorf("GET %s: Content-Type %q, the spec says %q", path,
				resp.Header.Get("Content-Type"), wantType)
		}
	}
	return body, nil
}

// tileReader serves tlog.TileReader from the log's tile endpoints. Go's Tile.Path() is
// "tile/<H>/<L>/<N>[.p/<W>]"; tlog-tiles fixes H=8 and leaves it out of the URL.
type tileReader struct {
	c *client
}

func (r *tileReader) Height() int { return tileHeight }

func tileURL(t tlog.Tile) string {
	return "/log/" + strings.Replace(t.Path(), fmt.Sprintf("tile/%d/", tileHeight), "tile/", 1)
}

func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, err := r.c.get(tileURL(t), "application/octet-stream")
		if err != nil {
			return nil, err
		}
		if len(data) != t.W*tlog.HashSize {
			return nil, fmt.Errorf("%s: %d bytes, want %d", tileURL(t), len(data), t.W*tlog.HashSize)
		}
		out[i] = data
	}
	return out, nil
}

func (r *tileReader) SaveTiles([]tlog.Tile, [][]byte) {}

// parseCheckpoint parses a C2SP tlog-checkpoint note text: origin, size, base64 root, optional
// extension lines. (tlog.ParseTree is specific to the Go checksum database's origin.)
func parseCheckpoint(text string) (origin string, tree tlog.Tree, err error) {
	if !strings.HasSuffix(text, "\n") {
		return "", tree, fmt.Errorf("checkpoint text does not end in a newline")
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 {
		return "", tree, fmt.Errorf("checkpoint has %d lines, want at least 3", len(lines))
	}
	for _, line := range lines {
		if line == "" {
			return "", tree, fmt.Errorf("checkpoint has an empty line")
		}
	}
	origin = lines[0]
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[1] {
		return "", tree, fmt.Errorf("malformed tree size %q", lines[1])
	}
	root, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return "", tree, fmt.Errorf("malformed root hash %q", lines[2])
	}
	tree.N = n
	copy(tree.Hash[:], root)
	return origin, tree, nil
}

func openCheckpoint(msg []byte, verifiers note.Verifiers) (string, tlog.Tree, error) {
	n, err := note.Open(msg, verifiers)
	if err != nil {
		return "", tlog.Tree{}, fmt.Errorf("checkpoint signature: %v", err)
	}
	return parseCheckpoint(n.Text)
}

func decodeHashes(list []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(list))
	for i, s := range list {
		raw, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil || len(raw) != tlog.HashSize {
			return nil, fmt.Errorf("malformed hash %q", s)
		}
		copy(out[i][:], raw)
	}
	return out, nil
}

type inclusionAnswer struct {
	LeafIndex *int64   `json:"leaf_index"`
	TreeSize  *int64   `json:"tree_size"`
	Root      string   `json:"root"`
	Proof     []string `json:"proof"`
}

type consistencyAnswer struct {
	First  *int64   `json:"first"`
	Second *int64   `json:"second"`
	Proof  []string `json:"proof"`
}

func getJSON(c *client, path string, v any) error {
	body, err := c.get(path, "")
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("GET %s: %v", path, err)
	}
	return nil
}

func sameProof(a []tlog.Hash, b []tlog.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func checkInclusion(c *client, tree tlog.Tree, hr tlog.HashReader, leafHash tlog.Hash, i int64) error {
	var ans inclusionAnswer
	path := fmt.Sprintf("/api/v1/audit/proof/inclusion?leaf_index=%d&tree_size=%d", i, tree.N)
	if err := getJSON(c, path, &ans); err != nil {
		return err
	}
	if ans.LeafIndex == nil || *ans.LeafIndex != i || ans.TreeSize == nil || *ans.TreeSize != tree.N {
		return fmt.Errorf("inclusion proof for %d in %d: answer names another leaf or size", i, tree.N)
	}
	roots, err := decodeHashes([]string{ans.Root})
	if err != nil {
		return fmt.Errorf("inclusion proof for %d: %v", i, err)
	}
	if roots[0] != tree.Hash {
		return fmt.Errorf("inclusion proof for %d: root %v is not the checkpoint's %v", i, roots[0], tree.Hash)
	}
	proof, err := decodeHashes(ans.Proof)
	if err != nil {
		return fmt.Errorf("inclusion proof for %d: %v", i, err)
	}
	if err := tlog.CheckRecord(proof, tree.N, tree.Hash, i, leafHash); err != nil {
		return fmt.Errorf("inclusion proof for %d in %d: %v", i, tree.N, err)
	}
	own, err := tlog.ProveRecord(tree.N, i, hr)
	if err != nil {
		return fmt.Errorf("inclusion proof for %d from our tree: %v", i, err)
	}
	if !sameProof(own, proof) {
		return fmt.Errorf("inclusion proof for %d differs from the one our tree gives", i)
	}
	return nil
}

func checkConsistency(c *client, tree tlog.Tree, hr tlog.HashReader, first int64, firstHash tlog.Hash) error {
	var ans consistencyAnswer
	path := fmt.Sprintf("/api/v1/audit/proof/consistency?first=%d&second=%d", first, tree.N)
	if err := getJSON(c, path, &ans); err != nil {
		return err
	}
	if ans.First == nil || *ans.First != first || ans.Second == nil || *ans.Second != tree.N {
		return fmt.Errorf("consistency proof %d→%d: answer names other sizes", first, tree.N)
	}
	proof, err := decodeHashes(ans.Proof)
	if err != nil {
		return fmt.Errorf("consistency proof %d→%d: %v", first, tree.N, err)
	}
	if err := tlog.CheckTree(proof, tree.N, tree.Hash, first, firstHash); err != nil {
		return fmt.Errorf("consistency proof %d→%d: %v", first, tree.N, err)
	}
	own, err := tlog.ProveTree(tree.N, first, hr)
	if err != nil {
		return fmt.Errorf("consistency proof %d→%d from our tree: %v", first, tree.N, err)
	}
	if !sameProof(own, proof) {
		return fmt.Errorf("consistency proof %d→%d differs from the one our tree gives", first, tree.N)
	}
	return nil
}

// parseBundle splits a tlog-tiles entry bundle: entries each prefixed by a big-endian uint16
// length.
func parseBundle(data []byte) ([][]byte, error) {
	var out [][]byte
	for len(data) > 0 {
		if len(data) < 2 {
			return nil, fmt.Errorf("truncated length prefix")
		}
		n := int(binary.BigEndian.Uint16(data))
		data = data[2:]
		if len(data) < n {
			return nil, fmt.Errorf("entry of %d bytes runs past the end", n)
		}
		out = append(out, data[:n])
		data = data[n:]
	}
	return out, nil
}

// localTree is a tree of our own, grown with tlog.StoredHashes from the entries.
type localTree struct {
	stored []tlog.Hash
	n      int64
}

func (t *localTree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(t.stored)) {
			return nil, fmt.Errorf("hash %d is not in the local tree", x)
		}
		out[i] = t.stored[x]
	}
	return out, nil
}

func (t *localTree) append(entry []byte) error {
	hashes, err := tlog.StoredHashes(t.n, entry, t)
	if err != nil {
		return err
	}
	t.stored = append(t.stored, hashes...)
	t.n++
	return nil
}

// hashTiles lists the hash tiles of a tree of size n: the full ones and, per level, the
// partial one (tlog-tiles: width floor(n / 256**l) mod 256), if any.
func hashTiles(n int64) []tlog.Tile {
	var tiles []tlog.Tile
	for level := 0; n>>(tileHeight*level) > 0; level++ {
		count := n >> (tileHeight * level)
		for k := int64(0); k < count>>tileHeight; k++ {
			tiles = append(tiles, tlog.Tile{H: tileHeight, L: level, N: k, W: 1 << tileHeight})
		}
		if w := count % (1 << tileHeight); w > 0 {
			tiles = append(tiles, tlog.Tile{H: tileHeight, L: level, N: count >> tileHeight, W: int(w)})
		}
	}
	return tiles
}

func run() (string, error) {
	base := flag.String("url", "", "base URL of the Laget server (the log is under /log/)")
	token := flag.String("token", "", "bearer token for a witness (optional)")
	pinned := flag.String("key", "", "the verifier key, known out of band (optional; must match /log/key)")
	oldCheckpoint := flag.String("old-checkpoint", "", "file with an earlier signed checkpoint to check consistency against")
	leaf := flag.Int64("leaf", -1, "also check the inclusion proof of this leaf")
	flag.Parse()
	if *base == "" {
		return "", fmt.Errorf("-url is required")
	}
	c := &client{base: strings.TrimRight(*base, "/"), token: *token, http: &http.Client{Timeout: 30 * time.Second}}

	// The key, then the checkpoint it signs.
	keyText, err := c.get("/log/key", "")
	if err != nil {
		return "", err
	}
	vkey := strings.TrimSpace(string(keyText))
	if *pinned != "" && vkey != *pinned {
		return "", fmt.Errorf("/log/key %q is not the key known out of band %q", vkey, *pinned)
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return "", fmt.Errorf("/log/key: %v", err)
	}
	verifiers := note.VerifierList(verifier)
	msg, err := c.get("/log/checkpoint", "text/plain;charset=utf-8")
	if err != nil {
		return "", err
	}
	origin, tree, err := openCheckpoint(msg, verifiers)
	if err != nil {
		return "", err
	}
	if origin != verifier.Name() {
		fmt.Fprintf(os.Stderr, "note: origin %q differs from the key name %q (allowed, SHOULD match)\n", origin, verifier.Name())
	}
	if tree.N == 0 {
		return "", fmt.Errorf("empty tree: nothing to verify")
	}

	// 1. The root from the hash tiles, the way Go's checksum-database client reads them.
	// TileHashReader authenticates the tiles the tree hash needs against the checkpoint. (It
	// is not relied on for the other full tiles: in x/mod v0.7.0 its check of those against
	// their parents starts at the wrong position and can skip them. Step 2 checks every tile.)
	tr := &tileReader{c: c}
	th, err := tlog.TreeHash(tree.N, tlog.TileHashReader(tree, tr))
	if err != nil {
		return "", fmt.Errorf("tree hash from tiles: %v", err)
	}
	if th != tree.Hash {
		return "", fmt.Errorf("tiles give root %v, checkpoint says %v", th, tree.Hash)
	}

	// 2. Every entry from the entry bundles, appended to a tree of our own; its root must be
	// the checkpoint's, and every served hash tile must be byte for byte the one it gives.
	local := &localTree{}
	for k := int64(0); k<<tileHeight < tree.N; k++ {
		w := tree.N - k<<tileHeight
		if w > 1<<tileHeight {
			w = 1 << tileHeight
		}
		t := tlog.Tile{H: tileHeight, L: -1, N: k, W: int(w)}
		path := "/log/" + strings.Replace(t.Path(), fmt.Sprintf("tile/%d/data/", tileHeight), "tile/entries/", 1)
		data, err := c.get(path, "application/octet-stream")
		if err != nil {
			return "", err
		}
		entries, err := parseBundle(data)
		if err != nil {
			return "", fmt.Errorf("%s: %v", path, err)
		}
		if int64(len(entries)) != w {
			return "", fmt.Errorf("%s: %d entries, want %d", path, len(entries), w)
		}
		for _, e := range entries {
			if err := local.append(e); err != nil {
				return "", err
			}
		}
	}
	own, err := tlog.TreeHash(tree.N, local)
	if err != nil {
		return "", err
	}
	if own != tree.Hash {
		return "", fmt.Errorf("the entries give root %v, the checkpoint says %v", own, tree.Hash)
	}
	tiles := hashTiles(tree.N)
	served, err := tr.ReadTiles(tiles)
	if err != nil {
		return "", err
	}
	for i, t := range tiles {
		want, err := tlog.ReadTileData(t, local)
		if err != nil {
			return "", err
		}
		if !bytes.Equal(served[i], want) {
			return "", fmt.Errorf("%s is not the tile the entries give", tileURL(t))
		}
	}

	// 3. Inclusion proofs from the API.
	picks := []int64{0, tree.N / 2, tree.N - 1}
	if *leaf >= 0 {
		if *leaf >= tree.N {
			return "", fmt.Errorf("-leaf %d is not in the tree of size %d", *leaf, tree.N)
		}
		picks = append(picks, *leaf)
	}
	for _, i := range picks {
		if err := checkInclusion(c, tree, local, local.stored[tlog.StoredHashIndex(0, i)], i); err != nil {
			return "", err
		}
	}

	// 4. Consistency proofs from the API: from prefixes of our own tree, and from an earlier
	// signed checkpoint (a witness's last view) when given.
	for _, first := range []int64{1, tree.N / 2, tree.N - 1, tree.N} {
		if first < 1 {
			continue
		}
		h, err := tlog.TreeHash(first, local)
		if err != nil {
			return "", err
		}
		if err := checkConsistency(c, tree, local, first, h); err != nil {
			return "", err
		}
	}
	if *oldCheckpoint != "" {
		old, err := os.ReadFile(*oldCheckpoint)
		if err != nil {
			return "", err
		}
		oldOrigin, oldTree, err := openCheckpoint(old, verifiers)
		if err != nil {
			return "", fmt.Errorf("old checkpoint: %v", err)
		}
		if oldOrigin != origin {
			return "", fmt.Errorf("old checkpoint origin %q, current %q", oldOrigin, origin)
		}
		if oldTree.N > tree.N {
			return "", fmt.Errorf("the log shrank from %d to %d", oldTree.N, tree.N)
		}
		if oldTree.N > 0 {
			if err := checkConsistency(c, tree, local, oldTree.N, oldTree.Hash); err != nil {
				return "", fmt.Errorf("old checkpoint: %v", err)
			}
		}
	}
	return fmt.Sprintf("OK %d %s", tree.N, base64.StdEncoding.EncodeToString(tree.Hash[:])), nil
}

func main() {
	out, err := run()
	if err != nil {
		fmt.Fprintf(os.Stderr, "FAIL: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(out)
}
