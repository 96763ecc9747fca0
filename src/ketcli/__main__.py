from ketcli.cli import main

main()
