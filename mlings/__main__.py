from mlings.cli import main

main()
