package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"slices"
	"unicode/utf8"
)

// bbolt's file layout (format version 2, go.etcd.io/bbolt/internal/common),
// read here so that a damaged or foreign file is named before bbolt maps it:
// bbolt panics on some damaged pages and treats an empty file as new.
//
// Every page starts with a 16-byte header: id u64, flags u16, count u16,
// overflow u32. Pages 0 and 1 hold a meta record each; bbolt uses the valid
// one with the higher transaction id, so one torn meta page is normal.
// Integers are in the machine's byte order.
const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	pageHeaderLen    = 16
	metaLen          = 64 // magic, version, page size, flags; root, sequence, freelist, pgid, txid, checksum
	metaSummedLen    = 56 // the bytes the checksum covers
	freelistPageFlag = 0x10
	branchPageFlag   = 0x01
	leafPageFlag     = 0x02
	noFreelist       = math.MaxUint64
	minPageSize      = 1024
	maxPageSize      = 1024 << 14 // the largest size bbolt looks for
	probeLen         = 0x1000     // what bbolt reads to find a meta page
)

// boltMeta is the part of a meta page the layout checks need.
type boltMeta struct {
	pageSize uint32
	root     uint64 // page of the root bucket
	freelist uint64 // page of the free list, or noFreelist
	hwm      uint64 // high-water mark: pages in use, file size in pages at least
	txid     uint64
}

var (
	errNoMagic  = errors.New("no bbolt magic number")
	errChecksum = errors.New("checksum mismatch")
)

// parseMeta decodes and verifies the meta record of page p as bbolt does:
// magic number, format version and FNV-64a checksum.
func parseMeta(p []byte) (boltMeta, error) {
	if len(p) < pageHeaderLen+metaLen {
		return boltMeta{}, io.ErrUnexpectedEOF
	}
	m, ne := p[pageHeaderLen:pageHeaderLen+metaLen], binary.NativeEndian
	if ne.Uint32(m) != boltMagic {
		return boltMeta{}, errNoMagic
	}
	if v := ne.Uint32(m[4:]); v != boltVersion {
		return boltMeta{}, fmt.Errorf("bbolt format version %d, this newswatch reads %d", v, boltVersion)
	}
	h := fnv.New64a()
	h.Write(m[:metaSummedLen])
	if h.Sum64() != ne.Uint64(m[metaSummedLen:]) {
		return boltMeta{}, errChecksum
	}
	return boltMeta{
		pageSize: ne.Uint32(m[8:]),
		root:     ne.Uint64(m[16:]),
		freelist: ne.Uint64(m[32:]),
		hwm:      ne.Uint64(m[40:]),
		txid:     ne.Uint64(m[48:]),
	}, nil
}

// diagnose reads the meta pages, the root page and the free list of the
// file in r (size bytes) and returns why bbolt cannot use it, or "" when
// its layout is sound. It reads a few pages, whatever the file's size.
func diagnose(r io.ReaderAt, size int64) string {
	if size == 0 {
		return "the file is empty (0 bytes); newswatch creates a store under a temporary name " +
			"and renames it into place, so an empty file was truncated or made by something else"
	}
	head := readAt(r, 0, min(size, probeLen))
	if head == nil {
		return "the file cannot be read"
	}
	m, err := latestMeta(r, size, head)
	if err != nil {
		return err.Error()
	}
	return checkLayout(r, size, m)
}

// latestMeta finds the meta record bbolt would use: the valid one with the
// higher transaction id. Without a valid one it says what the file is.
func latestMeta(r io.ReaderAt, size int64, head []byte) (boltMeta, error) {
	m0, err0 := parseMeta(head)
	m1, err1 := secondMeta(r, size, m0, err0)
	switch {
	case err0 == nil && err1 == nil:
		if m1.txid > m0.txid {
			return m1, nil
		}
		return m0, nil
	case err0 == nil:
		return m0, nil
	case err1 == nil:
		return m1, nil
	case !noMeta(err0) || !noMeta(err1):
		return boltMeta{}, fmt.Errorf("both bbolt meta pages are damaged (%v; %v)", err0, err1)
	case len(head) >= pageHeaderLen+4 && binary.NativeEndian.Uint32(head[pageHeaderLen:]) == boltMagic:
		return boltMeta{}, fmt.Errorf("the file is truncated: %d bytes, less than one bbolt page", size)
	}
	return boltMeta{}, errors.New(foreignFormat(head))
}

// secondMeta reads meta page 1: one page size after page 0, or where
// bbolt looks for it when page 0 gives no page size.
func secondMeta(r io.ReaderAt, size int64, m0 boltMeta, err0 error) (boltMeta, error) {
	if err0 == nil && validPageSize(m0.pageSize) {
		return parseMeta(readAt(r, int64(m0.pageSize), probeLen))
	}
	var err1 error = errNoMagic
	for ps := int64(minPageSize); ps <= maxPageSize && ps < size-minPageSize; ps *= 2 {
		m, err := parseMeta(readAt(r, ps, probeLen))
		if err == nil && int64(m.pageSize) == ps {
			return m, nil
		}
		if !noMeta(err) {
			err1 = err
		}
	}
	return boltMeta{}, err1
}

// noMeta reports whether a meta page's error means no meta page at all, as
// opposed to a damaged one.
func noMeta(err error) bool {
	return errors.Is(err, errNoMagic) || errors.Is(err, io.ErrUnexpectedEOF)
}

// checkLayout verifies what bbolt trusts without checking: the page size,
// the file holding every page in use, the root page and the free list.
func checkLayout(r io.ReaderAt, size int64, m boltMeta) string {
	ps := int64(m.pageSize)
	switch {
	case !validPageSize(m.pageSize):
		return fmt.Sprintf("the meta page gives an impossible page size %d", m.pageSize)
	case m.hwm < 3 || m.hwm > uint64(math.MaxInt64/ps):
		return fmt.Sprintf("the meta page gives an impossible page count %d", m.hwm)
	case size < int64(m.hwm)*ps:
		return fmt.Sprintf("the file is truncated: it has %d bytes, its pages reach %d bytes", size, int64(m.hwm)*ps)
	case m.root < 2 || m.root >= m.hwm:
		return fmt.Sprintf("the meta page points to root page %d outside the file's %d pages", m.root, m.hwm)
	}
	if p := readAt(r, int64(m.root)*ps, pageHeaderLen); p == nil || !pageIs(p, m.root, branchPageFlag|leafPageFlag) {
		return fmt.Sprintf("the root page %d is damaged", m.root)
	}
	if m.freelist == noFreelist {
		return ""
	}
	if m.freelist < 2 || m.freelist >= m.hwm {
		return fmt.Sprintf("the meta page points to free-list page %d outside the file's %d pages", m.freelist, m.hwm)
	}
	if why := checkFreelist(r, m); why != "" {
		return "the free list is damaged: " + why
	}
	return ""
}

// checkFreelist verifies the free-list page (see readFreelist).
func checkFreelist(r io.ReaderAt, m boltMeta) string {
	if _, _, err := readFreelist(r, m); err != nil {
		return err.Error()
	}
	return ""
}

// readFreelist reads the free-list page of meta m and returns the pages
// it lists, after checking its header, its length, and page ids that are
// unique and inside the file, and the overflow pages it takes itself.
func readFreelist(r io.ReaderAt, m boltMeta) (ids []uint64, overflow uint64, err error) {
	ps, ne := int64(m.pageSize), binary.NativeEndian
	h := readAt(r, int64(m.freelist)*ps, pageHeaderLen+8)
	if h == nil || !pageIs(h, m.freelist, freelistPageFlag) {
		return nil, 0, fmt.Errorf("page %d is not a free-list page", m.freelist)
	}
	overflow = uint64(ne.Uint32(h[12:]))
	if m.freelist+overflow >= m.hwm {
		return nil, 0, fmt.Errorf("page %d runs past the last page", m.freelist)
	}
	start, count := int64(pageHeaderLen), uint64(ne.Uint16(h[10:]))
	if count == 0xFFFF { // the real count is the first element
		start, count = pageHeaderLen+8, ne.Uint64(h[pageHeaderLen:])
	}
	if room := (int64(overflow+1)*ps - start) / 8; count > uint64(room) {
		return nil, 0, fmt.Errorf("page %d lists %d pages, room for %d", m.freelist, count, room)
	}
	data := readAt(r, int64(m.freelist)*ps+start, int64(count)*8)
	if data == nil {
		return nil, 0, fmt.Errorf("page %d cannot be read", m.freelist)
	}
	ids = make([]uint64, count)
	for i := range ids {
		if ids[i] = ne.Uint64(data[8*i:]); ids[i] < 2 || ids[i] >= m.hwm {
			return nil, 0, fmt.Errorf("it lists page %d, outside the file's %d pages", ids[i], m.hwm)
		}
	}
	sorted := slices.Sorted(slices.Values(ids))
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			return nil, 0, fmt.Errorf("it lists page %d twice", sorted[i])
		}
	}
	return ids, overflow, nil
}

// pageIs reports whether the page header h names page id and has exactly
// one of the type flags in want.
func pageIs(h []byte, id uint64, want uint16) bool {
	ne := binary.NativeEndian
	flags := ne.Uint16(h[8:])
	return ne.Uint64(h) == id && flags&want != 0 && flags&^want == 0 && flags&(flags-1) == 0
}

func validPageSize(ps uint32) bool {
	return ps >= minPageSize && ps <= maxPageSize && ps&(ps-1) == 0
}

// readAt reads n bytes at off, or returns nil if the file is shorter or
// unreadable.
func readAt(r io.ReaderAt, off, n int64) []byte {
	b := make([]byte, n)
	if _, err := r.ReadAt(b, off); err != nil {
		return nil
	}
	return b
}

// foreignFormat names what a file without a bbolt meta page looks like,
// from its first bytes, so that a user who points the store at the wrong
// file sees which one.
func foreignFormat(head []byte) string {
	const unpack = " (unpack a compressed backup first)"
	formats := []struct {
		magic      []byte
		what, hint string
	}{
		{[]byte("SQLite format 3\x00"), "a SQLite database", ""},
		{[]byte{0x1f, 0x8b}, "gzip-compressed data", unpack},
		{[]byte{0x28, 0xb5, 0x2f, 0xfd}, "zstd-compressed data", unpack},
		{[]byte("PK\x03\x04"), "a zip archive", unpack},
	}
	for _, f := range formats {
		if bytes.HasPrefix(head, f.magic) {
			return "it is " + f.what + ", not a bbolt database" + f.hint
		}
	}
	if len(head) > 262 && bytes.HasPrefix(head[257:], []byte("ustar")) {
		return "it is a tar archive, not a bbolt database"
	}
	if len(bytes.Trim(head, "\x00")) == 0 {
		return "its first page is all zeros: both bbolt meta pages are gone"
	}
	text := head // the file may go on: drop a character cut at the end
	for i := 0; i < utf8.UTFMax-1 && len(text) > 0 && !utf8.Valid(text); i++ {
		text = text[:len(text)-1]
	}
	if bytes.IndexByte(head, 0) < 0 && utf8.Valid(text) {
		line, _, _ := bytes.Cut(bytes.TrimSpace(head), []byte("\n"))
		if len(line) > 40 {
			line = append(line[:40:40], "…"...)
		}
		return fmt.Sprintf("it is a text file starting with %q, not a bbolt database", line)
	}
	return "it is not a bbolt database (no valid meta page)"
}
