package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// BeforeRestoreSuffix names the file Restore keeps: the store it replaced
// stays at its path plus this suffix.
const BeforeRestoreSuffix = ".before-restore"

// Backup writes a consistent copy of the store to w while the daemon goes
// on writing: the state of one read transaction, copied by bbolt
// (Tx.WriteTo) and streamed without holding the file in memory. It returns
// the number of bytes written. While it runs, a write that must grow the
// file's memory map waits for it to end.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	err := s.view(func(tx *bolt.Tx) (err error) {
		n, err = tx.WriteTo(ctxWriter{ctx, w})
		return err
	})
	if ctx.Err() != nil {
		err = ctx.Err() // bbolt words its write errors without wrapping them
	}
	if err != nil {
		return n, fmt.Errorf("backup %s: %w", s.path, err)
	}
	return n, nil
}

// BackupFile writes a backup of the store (see Backup) to path and checks
// the copy (see CheckFile) before it takes that name: the copy is written
// beside path, synced to disk and renamed, so path holds its previous
// content or a whole, checked backup, never a partial one. A path held
// by a process (the live store, say) is refused with ErrLocked.
func (s *Store) BackupFile(ctx context.Context, path string) (CheckReport, error) {
	return installBackup(ctx, path, func(w io.Writer) error {
		_, err := s.Backup(ctx, w)
		return err
	})
}

// SaveBackup is BackupFile for a backup read from r, as a running
// daemon's Backup streams it to a command: the copy is written beside
// path, synced, checked and renamed to path.
func SaveBackup(ctx context.Context, path string, r io.Reader) (CheckReport, error) {
	return installBackup(ctx, path, func(w io.Writer) error {
		_, err := io.Copy(ctxWriter{ctx, w}, r)
		return err
	})
}

// installBackup writes a backup with write and moves it to path once it
// passes CheckFile.
func installBackup(ctx context.Context, path string, write func(io.Writer) error) (CheckReport, error) {
	rep := CheckReport{Path: path}
	path, err := resolve(path)
	if err != nil {
		return rep, fmt.Errorf("backup to %s: %v", rep.Path, err)
	}
	lock, err := lockFile(path)
	if err != nil {
		return rep, fmt.Errorf("backup to %s: %w", path, err)
	}
	defer closeQuietly(lock)
	tmp, err := writeTemp(path, "backup", write)
	if err != nil {
		return rep, fmt.Errorf("backup to %s: %w", path, err)
	}
	defer os.Remove(tmp) // gone once renamed
	rep, err = CheckFile(ctx, tmp)
	rep.Path = path
	if ce, ok := errors.AsType[*CorruptError](err); ok {
		return rep, fmt.Errorf("backup to %s: %w: the copy fails its check (%s), so the store it copies must too: run newswatch store check",
			path, ErrCorrupt, ce.Reason)
	}
	if err != nil {
		return rep, fmt.Errorf("backup to %s: %w", path, err)
	}
	return rep, replace(tmp, path)
}

// Restore replaces the store file dst with the backup src. It opens src
// read-only and checks it first (see Check): a damaged or foreign file, a
// newer schema or any problem refuses the restore and leaves dst as it
// is. The copy is written beside dst, synced to disk and renamed over dst,
// so dst is always the old store or the whole new one. The file it
// replaces is kept as dst+BeforeRestoreSuffix; if that name is taken by an
// earlier restore, Restore refuses rather than lose it. A dst that a
// process holds (a running daemon) gives an error wrapping ErrLocked. The
// report is the check of src, with Path dst.
func Restore(ctx context.Context, src, dst string) (CheckReport, error) {
	rep := CheckReport{Path: src}
	resolved, err := resolve(dst)
	if err != nil {
		return rep, fmt.Errorf("restore to %s: %v", dst, err)
	}
	dst = resolved
	if err := restorable(src, dst); err != nil {
		return rep, err
	}
	s, err := Open(src, Options{ReadOnly: true})
	if err != nil {
		return rep, refused(src, dst, err)
	}
	defer closeQuietly(s)
	if rep, err = s.Check(ctx); err != nil {
		return rep, refused(src, dst, err)
	}
	tmp, err := writeTemp(dst, "restore", func(w io.Writer) error {
		_, err := s.Backup(ctx, w)
		return err
	})
	if err != nil {
		return rep, fmt.Errorf("restore to %s: %w", dst, err)
	}
	defer os.Remove(tmp)       // gone once renamed
	lock, err := lockFile(dst) // held until dst is replaced
	if err != nil {
		return rep, fmt.Errorf("restore to %s: %w; stop it first", dst, err)
	}
	defer closeQuietly(lock)
	if lock != nil {
		if err := keep(dst, dst+BeforeRestoreSuffix); err != nil {
			return rep, fmt.Errorf("restore to %s: %w", dst, err)
		}
	}
	rep.Path = dst
	return rep, replace(tmp, dst)
}

// restorable refuses, before any copying, a restore that cannot end well:
// src and dst the same file, the kept file's name taken, dst in use.
func restorable(src, dst string) error {
	sfi, err := os.Stat(src)
	if err != nil {
		return fmt.Errorf("restore from %s: %v", src, err)
	}
	if dfi, err := os.Stat(dst); err == nil && os.SameFile(sfi, dfi) {
		return fmt.Errorf("restore from %s: it is the store file %s itself", src, dst)
	}
	if _, err := os.Lstat(dst + BeforeRestoreSuffix); err == nil {
		return fmt.Errorf("restore to %s: %s exists from an earlier restore; move it away first", dst, dst+BeforeRestoreSuffix)
	}
	lock, err := lockFile(dst)
	if err != nil {
		return fmt.Errorf("restore to %s: %w; stop it first", dst, err)
	}
	closeQuietly(lock)
	return nil
}

// refused words a restore refused because of its source.
func refused(src, dst string, err error) error {
	if ce, ok := errors.AsType[*CorruptError](err); ok {
		return fmt.Errorf("restore from %s refused: %w: %s (%s is unchanged)", src, ErrCorrupt, ce.Reason, dst)
	}
	return fmt.Errorf("restore from %s refused (%s is unchanged): %w", src, dst, err)
}

// keep gives the file at dst a second name, before, so that it stays when
// dst is replaced. Where hard links are missing it copies the file.
func keep(dst, before string) error {
	err := os.Link(dst, before)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists from an earlier restore; move it away first", before)
	}
	if err == nil {
		return nil
	}
	in, err := os.Open(dst)
	if err != nil {
		return fmt.Errorf("keep %s: %v", dst, err)
	}
	defer in.Close() // read only
	out, err := os.OpenFile(before, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("keep %s: %v", dst, err)
	}
	_, err = io.Copy(out, in)
	if err = errors.Join(err, out.Sync(), out.Close()); err != nil {
		_ = os.Remove(before)
		return fmt.Errorf("keep %s: %v", dst, err)
	}
	return nil
}

// resolve follows a symbolic link at path, so that a store kept on
// another disk through a link is replaced there and the link stays.
func resolve(path string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return path, nil
	}
	return filepath.EvalSymlinks(path)
}

// writeTemp writes a new file beside path with write, syncs it to disk and
// returns its name; the caller renames or removes it.
func writeTemp(path, tag string, write func(io.Writer) error) (string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("create %s: %v", path, err)
	}
	f, err := createTemp(path, tag)
	if err != nil {
		return "", err
	}
	if err := errors.Join(write(f), f.Sync(), f.Close()); err != nil {
		_ = os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// replace renames tmp to path and makes the rename durable.
func replace(tmp, path string) error {
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("replace %s: %v", path, err)
	}
	return syncDir(filepath.Dir(path))
}

// lockFile opens path and takes the lock a bbolt writer takes (see
// tryLock), so that no daemon opens the file while it is replaced. The
// lock lasts until the returned file is closed; a missing path returns
// nil, nil.
func lockFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %v", path, err)
	}
	if err := tryLock(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

// closeQuietly closes what was only read or locked (a nil *os.File
// included).
func closeQuietly(c io.Closer) { _ = c.Close() }

// ctxWriter fails writes once ctx is done, to stop a long copy.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (cw ctxWriter) Write(p []byte) (int, error) {
	if err := cw.ctx.Err(); err != nil {
		return 0, err
	}
	return cw.w.Write(p)
}
