from vgr_ersattning.konsol import main

main()
