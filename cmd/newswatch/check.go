package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
)

func newCheckCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Validate the configuration and report every problem at once",
		Long: `Check reports at once every problem that run or poll would refuse,
each with its key and line: unknown keys, wrong types, values out of range,
invalid topic and subscriber queries and site rules, feeds listed twice,
secret environment variables (secret_env, password_env) that are not set,
and a store that cannot be created or written. It changes nothing. A
configuration with problems exits with status 2.`,
		Example: "  newswatch check --config newswatch.yaml",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			cfg, err := a.loadRunConfig()
			if err != nil {
				return err
			}
			path, err := cfg.StorePath()
			if err != nil {
				return usageError{err}
			}
			fmt.Fprintf(a.stdout, "config %s is valid: %d feeds, %d topics, store %s\n", cfg.source, len(cfg.Feeds), len(cfg.TopicList()), path)
			return nil
		},
	}
}

func newConfigCmd(a *app) *cobra.Command {
	var effective bool
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Print the embedded default configuration, or the one in force",
		Long: `Config prints the embedded default configuration, a commented starting
point for your own file.

With --effective it prints the configuration in force for --config (or
the embedded default): every setting after defaults, the built-in topics
merged with the file's, and the store path, as YAML that check accepts.
Secrets (smtp.password, a webhook's secret, a password in a URL) are
printed as <redacted>; *_env keys are printed as they are.`,
		Example: "  newswatch config > newswatch.yaml\n  newswatch config --effective -c newswatch.yaml",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			if !effective {
				if a.configPath != "" {
					return usageError{errors.New(`--config needs --effective: plain "newswatch config" prints the embedded default`)}
				}
				_, err := a.stdout.Write(defaultYAML)
				return err
			}
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			return writeEffective(a.stdout, cfg)
		},
	}
	cmd.Flags().BoolVar(&effective, "effective", false, "print the configuration in force after defaults and merging")
	return cmd
}
