package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/newswatch/newswatch/web"
)

func newUserCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Add, list and remove the users of the web dashboard",
		Long: `Users log in to the web dashboard at web.listen with a name and a
password. An admin may change things (add feeds, retry alerts); a viewer
only reads. Passwords are read from the terminal without echo, or as the
first line of stdin when it is not a terminal, and stored only as an
argon2id hash. Each user also has an optional feed key, the secret in the
URLs of the topics' Atom feeds that feed readers fetch without logging in.`,
	}
	cmd.AddCommand(newUserAddCmd(a), newUserListCmd(a), newUserRemoveCmd(a), newUserPasswdCmd(a), newUserFeedKeyCmd(a))
	return cmd
}

func newUserAddCmd(a *app) *cobra.Command {
	var role string
	cmd := &cobra.Command{
		Use:     "add NAME",
		Short:   "Add a user; the password is asked twice, or read from stdin",
		Example: "  newswatch user add mai --role admin\n  printf '%s\\n' \"$PASSWORD\" | newswatch user add an",
		Args:    cobraArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			name := args[0]
			r, err := web.ParseRole(role)
			if err != nil {
				return usageError{fmt.Errorf("--%v", err)}
			}
			if err := web.CheckUserName(name); err != nil {
				return usageError{err}
			}
			password, err := a.readPassword(name)
			if err != nil {
				return err
			}
			return a.withAPI(cmd, readWrite, func(s *session) error {
				row, err := s.CreateUser(cmd.Context(), web.UserRequest{Name: name, Role: r, Password: password})
				if err == nil {
					fmt.Fprintf(a.stdout, "added %s %s\n", row.Role, row.Name)
				}
				return err
			})
		},
	}
	cmd.Flags().StringVar(&role, "role", "viewer", "admin (reads and changes) or viewer (reads)")
	return cmd
}

func newUserListCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List users: name, role, added, password changed, whether a feed key is set",
		Args:  cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			return a.withAPI(cmd, readOnly, func(s *session) error {
				rows, err := s.Users(cmd.Context())
				if err != nil {
					return err
				}
				if format == "json" {
					return writeIndented(a.stdout, rows)
				}
				return writeUsers(a.stdout, rows)
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func newUserRemoveCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a user: their sessions end at once; their relevance labels stay",
		Args:  cobraArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withAPI(cmd, readWrite, func(s *session) error {
				err := s.RemoveUser(cmd.Context(), args[0])
				if err == nil {
					fmt.Fprintf(a.stdout, "removed user %s\n", args[0])
				}
				return err
			})
		},
	}
}

func newUserPasswdCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "passwd NAME",
		Short: "Set a user's password; every session of the user ends",
		Args:  cobraArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			password, err := a.readPassword(args[0])
			if err != nil {
				return err
			}
			return a.withAPI(cmd, readWrite, func(s *session) error {
				res, err := s.SetPassword(cmd.Context(), args[0], password)
				if err == nil {
					fmt.Fprintf(a.stdout, "password of %s changed (sessions ended: %d)\n", res.User, res.SessionsEnded)
				}
				return err
			})
		},
	}
}

func newUserFeedKeyCmd(a *app) *cobra.Command {
	var revoke bool
	cmd := &cobra.Command{
		Use:   "feedkey NAME",
		Short: "Give a user a new Atom feed key and print it (once), or --revoke it",
		Long: `A feed key is the secret in the URLs of the topics' Atom feeds,
/topics/TOPIC/feed.atom?key=KEY, which feed readers fetch without logging
in. A new key replaces the old one: URLs with the old key stop working at
once. Users see and change their own key on the dashboard's /account page.`,
		Args: cobraArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withAPI(cmd, readWrite, func(s *session) error {
				if revoke {
					err := s.RevokeFeedKey(cmd.Context(), args[0])
					if err == nil {
						fmt.Fprintf(a.stdout, "revoked the feed key of %s\n", args[0])
					}
					return err
				}
				res, err := s.NewFeedKey(cmd.Context(), args[0])
				if err == nil {
					fmt.Fprintln(a.stdout, res.FeedKey)
					fmt.Fprintf(a.stderr, "newswatch: new feed key of %q, shown only now (the old one no longer works); feed URLs: /topics/TOPIC/feed.atom?key=KEY\n", res.User)
				}
				return err
			})
		},
	}
	cmd.Flags().BoolVar(&revoke, "revoke", false, "take the feed key away instead")
	return cmd
}

// writeUsers writes the users as a table.
func writeUsers(w io.Writer, rows []web.UserRow) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tADDED\tPASSWORD CHANGED\tFEED KEY")
	for _, r := range rows {
		key := "no"
		if r.FeedKey {
			key = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Name, r.Role, fmtTime(&r.Created), fmtTime(r.PasswordChanged), key)
	}
	return tw.Flush()
}

// maxPasswordLine bounds the line read from stdin.
const maxPasswordLine = 4 << 10

// readPassword reads the password for user: on a terminal asked twice
// without echo, otherwise the first line of stdin (for scripts). A
// password the server would refuse is a usage error before anything is
// sent.
func (a *app) readPassword(user string) (string, error) {
	var password string
	if f, ok := a.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		first, err := promptPassword(f, a.stderr, fmt.Sprintf("Password for %s: ", user))
		if err != nil {
			return "", err
		}
		if err := web.CheckPassword(first, user); err != nil {
			return "", usageError{err}
		}
		again, err := promptPassword(f, a.stderr, "Again: ")
		if err != nil {
			return "", err
		}
		if again != first {
			return "", usageError{errors.New("the two passwords differ; nothing changed")}
		}
		password = first
	} else {
		line, err := bufio.NewReaderSize(io.LimitReader(a.stdin, maxPasswordLine), maxPasswordLine).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", fmt.Errorf("read the password from stdin: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
		if password == "" {
			return "", usageError{errors.New("no password: type it at the prompt, or give it as the first line of stdin")}
		}
	}
	if err := web.CheckPassword(password, user); err != nil {
		return "", usageError{err}
	}
	return password, nil
}

// promptPassword asks for a password on the terminal f without echo.
func promptPassword(f *os.File, prompt io.Writer, msg string) (string, error) {
	fmt.Fprint(prompt, msg)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(prompt)
	if err != nil {
		return "", fmt.Errorf("read the password: %w", err)
	}
	return string(b), nil
}
