from vgr_ersattning.cli import main

main()
