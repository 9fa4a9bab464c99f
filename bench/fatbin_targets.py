"""The GPU architectures a CUDA library carries code for: SASS (machine code, runs only on that architecture's
major version) and PTX (compiled by the driver at load time, so it runs on later architectures too).

Reads the fat binaries embedded in the library (magic 0xBA55ED50; each entry: kind 1 = PTX, 2 = ELF/SASS, header
size, payload size, and the sm number at byte 28), as `cuobjdump --list-elf/--list-ptx` lists them. Written because
the cuobjdump of current CUDA toolkits refuses libraries that still hold sm_37 code, as ND4J 1.0.0-M2.1's do, and
older toolkits are not installable here. Standard library only.

    python3 bench/fatbin_targets.py libnd4jcuda.so
"""
import collections
import mmap
import struct
import sys

MAGIC = struct.pack("<I", 0xBA55ED50)
KINDS = {1: "PTX", 2: "SASS"}


def targets(path):
    """Counts of (kind, sm) over every fat binary in the file, and how many fat binaries there are."""
    counts = collections.Counter()
    binaries = 0
    with open(path, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        position = data.find(MAGIC)
        while position >= 0:
            header_size = struct.unpack_from("<H", data, position + 6)[0]
            fat_size = struct.unpack_from("<Q", data, position + 8)[0]
            entry, end = position + header_size, position + header_size + fat_size
            while entry < end:
                kind, _, entry_header = struct.unpack_from("<HHI", data, entry)
                payload = struct.unpack_from("<Q", data, entry + 8)[0]
                if kind not in KINDS or not 32 <= entry_header <= 1024:
                    break  # not a fat binary after all: a stray copy of the magic number
                counts[(KINDS[kind], struct.unpack_from("<I", data, entry + 28)[0])] += 1
                entry += entry_header + payload
            binaries += 1
            position = data.find(MAGIC, position + 4)
    return counts, binaries


def main():
    for path in sys.argv[1:]:
        counts, binaries = targets(path)
        for kind in ("SASS", "PTX"):
            archs = sorted({sm for (k, sm) in counts if k == kind})
            listed = " ".join(f"sm_{sm}" for sm in archs) or "none"
            print(f"{path}: {binaries} fat binaries; {kind} for {listed}")


if __name__ == "__main__":
    main()
