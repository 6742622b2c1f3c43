package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// runtimeProblems reports what run and poll would refuse beyond the file
// itself: secrets whose environment variable (looked up with lookup) is
// unset or invalid, and a store that cannot be opened for writing. It
// changes nothing: no directory is created, no file is left behind.
func (c *Config) runtimeProblems(lookup func(string) (string, bool)) []problem {
	v := &validator{c: c}
	email := false
	for i, s := range c.Subscribers {
		email = email || s.Email != nil
		if s.Webhook == nil || s.Webhook.SecretEnv == "" {
			continue
		}
		if _, err := s.Resolve(lookup); err != nil {
			v.under(fmt.Sprintf("subscribers[%d].webhook.secret_env", i), err.Error())
		}
	}
	if email && c.SMTP.PasswordEnv != "" {
		if _, err := c.SMTP.Resolve(lookup); err != nil {
			v.under("smtp.password_env", err.Error())
		}
	}
	path, err := c.StorePath()
	if err == nil {
		err = storeProblem(path)
	}
	if err != nil {
		v.at("store", "%v", err)
	}
	return v.p
}

// storeProblem says why the store file at path could not be opened for
// writing: it is not a regular file, it cannot be written, or its
// directory neither exists nor can be created.
func storeProblem(path string) error {
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return fmt.Errorf("%s is a directory; store names the database file, such as %s", path, filepath.Join(path, "newswatch.db"))
	case err == nil && !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file", path)
	case err == nil:
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return fmt.Errorf("cannot be opened for writing: %w", err)
		}
		return f.Close()
	case !missing(err):
		return err
	}
	// The file is created on first use, with the directories above it.
	dir := filepath.Dir(path)
	for {
		fi, err := os.Stat(dir)
		switch {
		case err == nil && !fi.IsDir():
			return fmt.Errorf("directory %s cannot be created: %s is not a directory", filepath.Dir(path), dir)
		case err == nil:
			return dirWritable(dir)
		case !missing(err):
			return err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return err
		}
		dir = parent
	}
}

// missing reports whether a Stat error means the path does not exist,
// also when a file stands where a directory on the path should be.
func missing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// dirWritable reports whether a file can be created in dir, by creating
// and removing one.
func dirWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".newswatch-check-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the temporary name says nothing to the reader
		}
		return fmt.Errorf("directory %s is not writable: %w", dir, err)
	}
	name := f.Name()
	return errors.Join(f.Close(), os.Remove(name))
}
