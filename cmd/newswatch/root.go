package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/newswatch/newswatch/store"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // runtime failure: store, network, delivery
	exitUsage   = 2 // bad flags, arguments or configuration
)

// usageError marks errors that are the user's input, not a failure.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// exitCode maps an error from run to the process exit status.
func exitCode(err error) int {
	var ue usageError
	var ce *ConfigError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue), errors.As(err, &ce):
		return exitUsage
	default:
		return exitFailure
	}
}

// version is the release, set at build time with
// -ldflags "-X main.version=v1.2.3". It must stay uninitialised: the
// linker cannot set a variable whose initialiser calls a function.
var version string

// buildVersion returns version, or without one the module version go
// install recorded, or "devel".
func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// app carries what every subcommand shares: streams and global flags.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	configPath     string
	logLevel       string
	level          slog.LevelVar // of every logger from logger; setLevel changes it while they run
	logs           logSink       // where loggers write: stderr, or above a progress bar
}

// newApp returns an app on the given streams.
func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	a.logs.w = stderr
	return a
}

// run executes the command line args and returns the error to exit with.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	a := newApp(stdin, stdout, stderr)
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "newswatch: %v\n", err)
	}
	return err
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "newswatch",
		Short: "Watch news feeds for topics across languages",
		Long: `newswatch polls RSS, Atom and JSON feeds, scrapes the full articles,
matches them against topics written in a multilingual query language,
stores them in an embedded database and alerts subscribers.

Without --config the embedded default configuration is used: the
VietnamPlus and UN News feeds with the built-in topics "trafficking"
and "un". Run "newswatch demo" to see it work offline.`,
		Version:       buildVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.ArbitraryArgs,
		RunE:          unknownCommand,
	}
	root.PersistentFlags().StringVarP(&a.configPath, "config", "c", "", "configuration file (default: the embedded default)")
	root.PersistentFlags().StringVar(&a.logLevel, "log-level", "", "log level: debug, info, warn, error (overrides the config)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newRunCmd(a),
		newPollCmd(a),
		newExportCmd(a),
		newFeedsCmd(a),
		newCheckCmd(a),
		newConfigCmd(a),
		newDemoCmd(a),
		newRematchCmd(a),
		newMatchCmd(a),
	)
	root.AddCommand(newExtractCmd(a))
	root.AddCommand(newAlertsCmd(a))
	root.AddCommand(newStoriesCmd(a))
	root.AddCommand(newReloadCmd(a), newTopicsCmd(a), newTokenCmd(a), newStoreCmd(a), newBackupCmd(a), newRestoreCmd(a))
	root.AddCommand(newLabelsCmd(a))
	root.AddCommand(newEvidenceCmd(a))
	root.AddCommand(newUserCmd(a))
	root.AddCommand(newSearchCmd(a))
	return root
}

// unknownCommand runs for the root command alone: help without arguments,
// a usage error (exit 2, as for unknown flags) for an unknown subcommand.
// Cobra reports one with a plain error, which would exit 1.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return cmd.Help()
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
	}
	return usageError{errors.New(msg)}
}

// cobraArgs wraps a positional-argument validator so its errors are usage errors.
func cobraArgs(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := v(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// loadConfig reads and validates the configuration named by --config.
func (a *app) loadConfig() (*Config, error) {
	return readConfigFile(a.configPath)
}

// loadRunConfig also checks what running needs (see loadConfigFile): the
// secret environment variables and the store. For check, run and poll.
func (a *app) loadRunConfig() (*Config, error) {
	return loadConfigFile(a.configPath)
}

// logger builds the process logger: text on a terminal, JSON otherwise.
// Its level follows setLevel.
func (a *app) logger(cfg *Config) *slog.Logger {
	a.setLevel(cfg)
	opts := &slog.HandlerOptions{Level: &a.level}
	format := cfg.Log.Format
	if format == "" || format == "auto" {
		format = "json"
		if isTerminal(a.stderr) {
			format = "text"
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(&a.logs, opts))
	}
	return slog.New(slog.NewJSONHandler(&a.logs, opts))
}

// setLevel sets the level of the loggers from logger to cfg's, unless
// --log-level overrides it. A reload calls it with the new config.
func (a *app) setLevel(cfg *Config) {
	level := cfg.Log.Level
	if a.logLevel != "" {
		level = a.logLevel
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil || level == "" {
		lv = slog.LevelInfo
	}
	a.level.Set(lv)
}

// isTerminal reports whether stream (a reader or writer) is a terminal.
func isTerminal(stream any) bool {
	f, ok := stream.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// errNoStore means the store file has not been created yet.
var errNoStore = errors.New("no store yet")

// openStore opens the configured store for writing.
func (a *app) openStore(cfg *Config) (*store.Store, error) {
	return a.openStoreMode(cfg, false)
}

// openStoreMode opens the configured store, read-only when ro is set.
func (a *app) openStoreMode(cfg *Config, ro bool) (*store.Store, error) {
	path, err := cfg.StorePath()
	if err != nil {
		return nil, err
	}
	if ro {
		// Lstat: a link to a missing file (an unmounted disk) is not "no
		// store yet"; store.Open says what it is.
		if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("store %s does not exist yet: run \"newswatch poll\" or \"newswatch run\" first: %w", path, errNoStore)
		}
	}
	return store.Open(path, store.Options{ReadOnly: ro})
}
