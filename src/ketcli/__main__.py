from ketcli._entry import main

main()
