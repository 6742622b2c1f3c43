package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newCheckCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:     "check",
		Short:   "Validate the configuration and report every problem at once",
		Example: "  newswatch check --config newswatch.yaml",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			path, err := cfg.StorePath()
			if err != nil {
				return usageError{err}
			}
			fmt.Fprintf(a.stdout, "config %s is valid: %d feeds, %d topics, store %s\n", cfg.source, len(cfg.Feeds), len(cfg.Topics), path)
			return nil
		},
	}
}

func newConfigCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:     "config",
		Short:   "Print the embedded default configuration",
		Long:    "Config prints the embedded default configuration, a commented starting point for your own file.",
		Example: "  newswatch config > newswatch.yaml",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			_, err := a.stdout.Write(defaultYAML)
			return err
		},
	}
}
