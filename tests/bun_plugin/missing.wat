;; Imports a module no option provides: importing it must fail with a
;; LinkError that names the file and the missing import.
(module (import "host" "callback" (func)))
