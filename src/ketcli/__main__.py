from ketcli.cli.entry import main

main()
