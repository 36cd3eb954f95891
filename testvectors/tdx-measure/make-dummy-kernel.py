# Deterministic dummy x86 "bzImage"-like PE32+ file (12 KiB) for RTMR1 testing.
import struct
sz=0x3000
k=bytearray(sz)
k[0:2]=b'MZ'
struct.pack_into('<I',k,0x3c,0x40)            # e_lfanew
o=0x40
k[o:o+4]=b'PE\0\0'
# COFF: Machine x86_64, NumberOfSections=1, ..., SizeOfOptionalHeader=240, Characteristics
struct.pack_into('<HHIIIHH',k,o+4,0x8664,1,0,0,0,240,0x0206)
oh=o+24
struct.pack_into('<H',k,oh,0x20b)             # PE32+
struct.pack_into('<I',k,oh+16,0x1000)         # AddressOfEntryPoint
struct.pack_into('<I',k,oh+32,0x1000)         # SectionAlignment
struct.pack_into('<I',k,oh+36,0x200)          # FileAlignment
struct.pack_into('<I',k,oh+56,0x3000)         # SizeOfImage
struct.pack_into('<I',k,oh+60,0x1000)         # SizeOfHeaders
struct.pack_into('<I',k,oh+64,0x12345678)     # CheckSum (excluded from authenticode)
struct.pack_into('<H',k,oh+68,10)             # Subsystem EFI app
struct.pack_into('<I',k,oh+108,16)            # NumberOfRvaAndSizes
st=oh+240
k[st:st+8]=b'.text\0\0\0'
struct.pack_into('<IIIIIIHHI',k,st+8,0x2000,0x1000,0x2000,0x1000,0,0,0,0,0x60000020)
# Linux setup header
k[0x1f1]=1                                   # setup_sects
struct.pack_into('<H',k,0x1fe,0xaa55)
k[0x202:0x206]=b'HdrS'
struct.pack_into('<H',k,0x206,0x020f)        # boot protocol 2.15
k[0x211]=0x01                                # loadflags LOADED_HIGH
struct.pack_into('<I',k,0x22c,0x7fffffff)    # initrd_addr_max
struct.pack_into('<H',k,0x236,0x007f)        # xloadflags: all bits incl. 0x02 and 0x40
for i in range(0x1000,0x3000): k[i]=(i*7+3)&0xff
open('bzImage','wb').write(k)
open('initrd.img','wb').write(bytes((i*13+5)&0xff for i in range(4096)))
