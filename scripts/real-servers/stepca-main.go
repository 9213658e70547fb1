// step-ca entry point for Debian's golang-github-smallstep-certificates-dev (0.19.0): the
// package ships the library, including package "commands", but dropped cmd/step-ca.
// This re-creates the upstream binary from commands.AppCommand.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/smallstep/certificates/authority"
	"github.com/smallstep/certificates/commands"
	"github.com/urfave/cli"
	"go.step.sm/cli-utils/step"

	// Register the same optional backends upstream's cmd/step-ca pulls in
	// (softkms and softcas are registered by the authority package itself).
	_ "github.com/smallstep/certificates/cas/stepcas"
	_ "github.com/smallstep/certificates/kms/sshagentkms"
)

// Version is what `step-ca version` prints and GET /version returns; without setting
// authority.GlobalVersion the server would report "0.0.0".
var Version = "0.19.0"

func main() {
	step.Set("Smallstep CA", Version, "debian-bookworm")
	authority.GlobalVersion.Version = Version
	app := cli.NewApp()
	app.Name = "step-ca"
	app.HelpName = "step-ca"
	app.Version = step.Version()
	app.Usage = "an online certificate authority for secure automated certificate management"
	app.Flags = commands.AppCommand.Flags
	// urfave/cli v1 stops parsing flags at the first positional argument, so
	// `step-ca ca.json --password-file f` would fail with "too many positional arguments".
	// Upstream avoids that by running the top-level action as a subcommand; so do we.
	app.Action = func(_ *cli.Context) error {
		set := flag.NewFlagSet(app.Name, flag.ContinueOnError)
		if err := set.Parse(os.Args); err != nil {
			return err
		}
		ctx := cli.NewContext(app, set, nil)
		return commands.AppCommand.Run(ctx)
	}
	app.Commands = []cli.Command{{
		Name:  "version",
		Usage: "Displays the current version",
		Action: func(_ *cli.Context) error {
			fmt.Println(app.Version)
			return nil
		},
	}}
	app.Writer = os.Stdout
	app.ErrWriter = os.Stderr
	if err := app.Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
