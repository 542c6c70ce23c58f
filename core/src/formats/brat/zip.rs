//! A minimal ZIP writer: STORED members only (no compression), UTF-8 names, one fixed
//! modification time, ZIP64 records when a limit of the classic format is passed. Enough
//! to pack text files for download, deterministic byte for byte, with no dependency.
//! The `zip` crate would also pull a random number generator (and with it wasm-bindgen),
//! zeroize and a second `syn` into the core. The CRC-32 is computed here with one
//! 256-entry table (1 KiB) rather than by `crc32fast`, whose 16 KiB slicing table does
//! not compress and was 3% of the gzipped wasm; exporting is not hot enough to need it.

use crate::Timestamp;

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL: u32 = 0x0605_4b50;
const ZIP64_END_OF_CENTRAL: u32 = 0x0606_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
const ZIP64_EXTRA: u16 = 0x0001;
/// General-purpose flag bit 11: the name is UTF-8.
const UTF8_NAMES: u16 = 1 << 11;
/// Made by version 4.5 (ZIP64) on Unix, so that the permission bits below are read. The
/// version needed to extract is 1.0 for a plain stored member, 4.5 for a ZIP64 one.
const MADE_BY: u16 = (3 << 8) | 45;
/// A regular file, `rw-r--r--`.
const UNIX_FILE: u32 = 0o100_644 << 16;
const U16_MAX: u64 = 0xFFFF;
const U32_MAX: u64 = 0xFFFF_FFFF;

/// Builds a ZIP archive in memory.
pub struct ZipWriter {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u64,
    time: u16,
    date: u16,
}

impl ZipWriter {
    /// An empty archive whose members are all dated `modified` (UTC, as MS-DOS time
    /// has no zone; clamped to 1980–2107, the range it can hold).
    pub fn new(modified: Timestamp) -> Self {
        let (time, date) = dos_time(modified);
        ZipWriter {
            out: Vec::new(),
            central: Vec::new(),
            entries: 0,
            time,
            date,
        }
    }

    /// Adds a member `name` (a path with `/` separators) holding `data` as is.
    pub fn add(&mut self, name: &str, data: &[u8]) {
        let crc = crc32(data);
        let size = data.len() as u64;
        let offset = self.out.len() as u64;
        let big = size >= U32_MAX;
        let needs = if big || offset >= U32_MAX { 45 } else { 10 };
        let name = name.as_bytes();

        let mut local_extra = Vec::new();
        if big {
            put16(&mut local_extra, ZIP64_EXTRA);
            put16(&mut local_extra, 16);
            put64(&mut local_extra, size);
            put64(&mut local_extra, size);
        }
        let out = &mut self.out;
        put32(out, LOCAL_HEADER);
        put16(out, needs);
        put16(out, UTF8_NAMES);
        put16(out, 0); // stored
        put16(out, self.time);
        put16(out, self.date);
        put32(out, crc);
        put32(out, clamp32(size));
        put32(out, clamp32(size));
        put16(out, name.len() as u16);
        put16(out, local_extra.len() as u16);
        out.extend_from_slice(name);
        out.extend_from_slice(&local_extra);
        out.extend_from_slice(data);

        let mut extra = Vec::new();
        let mut fields = Vec::new();
        if big {
            fields.extend([size, size]);
        }
        if offset >= U32_MAX {
            fields.push(offset);
        }
        if !fields.is_empty() {
            put16(&mut extra, ZIP64_EXTRA);
            put16(&mut extra, 8 * fields.len() as u16);
            for f in fields {
                put64(&mut extra, f);
            }
        }
        let c = &mut self.central;
        put32(c, CENTRAL_HEADER);
        put16(c, MADE_BY);
        put16(c, needs);
        put16(c, UTF8_NAMES);
        put16(c, 0);
        put16(c, self.time);
        put16(c, self.date);
        put32(c, crc);
        put32(c, clamp32(size));
        put32(c, clamp32(size));
        put16(c, name.len() as u16);
        put16(c, extra.len() as u16);
        put16(c, 0); // comment
        put16(c, 0); // disk
        put16(c, 0); // internal attributes
        put32(c, UNIX_FILE);
        put32(c, clamp32(offset));
        c.extend_from_slice(name);
        c.extend_from_slice(&extra);
        self.entries += 1;
    }

    /// The archive: members, central directory and end records.
    pub fn finish(mut self) -> Vec<u8> {
        let cd_offset = self.out.len() as u64;
        let cd_size = self.central.len() as u64;
        self.out.extend_from_slice(&self.central);
        let out = &mut self.out;
        if self.entries >= U16_MAX || cd_size >= U32_MAX || cd_offset >= U32_MAX {
            let zip64_end = out.len() as u64;
            put32(out, ZIP64_END_OF_CENTRAL);
            put64(out, 44); // size of the rest of this record
            put16(out, MADE_BY);
            put16(out, 45);
            put32(out, 0); // this disk
            put32(out, 0); // disk with the central directory
            put64(out, self.entries);
            put64(out, self.entries);
            put64(out, cd_size);
            put64(out, cd_offset);
            put32(out, ZIP64_LOCATOR);
            put32(out, 0);
            put64(out, zip64_end);
            put32(out, 1); // disks
        }
        let entries = self.entries.min(U16_MAX) as u16;
        put32(out, END_OF_CENTRAL);
        put16(out, 0);
        put16(out, 0);
        put16(out, entries);
        put16(out, entries);
        put32(out, clamp32(cd_size));
        put32(out, clamp32(cd_offset));
        put16(out, 0); // comment
        self.out
    }
}

/// The CRC-32 table (IEEE 802.3, reflected polynomial `0xEDB88320`), built at compile time.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// The CRC-32 of `data`, as ZIP records it (the same value as `crc32fast::hash`).
fn crc32(data: &[u8]) -> u32 {
    !data.iter().fold(!0u32, |c, &b| {
        CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8)
    })
}

fn clamp32(v: u64) -> u32 {
    v.min(U32_MAX) as u32
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// MS-DOS time and date of a moment, in UTC.
fn dos_time(t: Timestamp) -> (u16, u16) {
    let secs = t.0.div_euclid(1000);
    let (days, day_secs) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    if year < 1980 {
        return (0, (1 << 5) | 1); // 1980-01-01 00:00:00
    }
    if year > 2107 {
        return ((23 << 11) | (59 << 5) | 29, (127 << 9) | (12 << 5) | 31);
    }
    let (hour, minute, second) = (day_secs / 3600, day_secs / 60 % 60, day_secs % 60);
    (
        ((hour << 11) | (minute << 5) | (second / 2)) as u16,
        (((year - 1980) << 9) | (month << 5) | day) as u16,
    )
}

/// The (year, month, day) of a count of days since 1970-01-01, in the proleptic
/// Gregorian calendar (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dos_times() {
        // 2026-11-28T22:31:04Z
        assert_eq!(
            dos_time(Timestamp(1_795_905_064_120)),
            ((22 << 11) | (31 << 5) | 2, (46 << 9) | (11 << 5) | 28)
        );
        assert_eq!(dos_time(Timestamp(0)), (0, 33));
        assert_eq!(dos_time(Timestamp(-1)), (0, 33));
        assert_eq!(dos_time(Timestamp(i64::MAX)).1 >> 9, 127);
        assert_eq!(dos_time(Timestamp(i64::MIN)), (0, 33));
        // 2000-02-29T23:59:59Z, a leap day
        assert_eq!(
            dos_time(Timestamp(951_868_799_000)),
            ((23 << 11) | (59 << 5) | 29, (20 << 9) | (2 << 5) | 29)
        );
    }

    #[test]
    fn crc32_matches_crc32fast() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        let data: Vec<u8> = (0..5000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        for n in [1, 3, 16, 17, 255, 4999, 5000] {
            assert_eq!(crc32(&data[..n]), crc32fast::hash(&data[..n]), "{n} bytes");
        }
    }

    #[test]
    fn empty_archive_is_just_the_end_record() {
        let bytes = ZipWriter::new(Timestamp(0)).finish();
        assert_eq!(bytes.len(), 22);
        assert_eq!(&bytes[..4], b"PK\x05\x06");
    }

    fn python_reads(zip: &[u8], script: &str) -> Option<String> {
        static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let run = RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("marginalia-zip-{}-{run}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.zip");
        std::fs::write(&path, zip).unwrap();
        let out = std::process::Command::new("python3")
            .arg("-c")
            .arg(script)
            .arg(&path)
            .output();
        let _ = std::fs::remove_dir_all(&dir);
        match out {
            Err(_) => {
                eprintln!("python3 is not installed: skipping the zipfile check");
                None
            }
            Ok(o) => {
                assert!(
                    o.status.success(),
                    "python3 failed: {}",
                    String::from_utf8_lossy(&o.stderr)
                );
                Some(String::from_utf8(o.stdout).unwrap())
            }
        }
    }

    #[test]
    fn python_reads_names_and_bytes_exactly() {
        let mut z = ZipWriter::new(Timestamp(1_795_905_064_120));
        z.add("d/a.txt", b"one\r\ntwo\n");
        z.add("d/caf\u{e9} \u{1f600}.txt", "\u{feff}x\u{2028}".as_bytes());
        z.add("d/empty", b"");
        let script = r#"
import sys, zipfile, hashlib
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None
    for i in z.infolist():
        data = z.read(i)
        print(i.filename, i.compress_type, i.date_time, (i.external_attr >> 16) & 0o777, data.hex())
"#;
        if let Some(out) = python_reads(&z.finish(), script) {
            assert_eq!(
                out,
                "d/a.txt 0 (2026, 11, 28, 22, 31, 4) 420 6f6e650d0a74776f0a\n\
                 d/caf\u{e9} \u{1f600}.txt 0 (2026, 11, 28, 22, 31, 4) 420 efbbbf78e280a8\n\
                 d/empty 0 (2026, 11, 28, 22, 31, 4) 420 \n"
            );
        }
    }

    #[test]
    fn more_than_65535_members_use_zip64() {
        let mut z = ZipWriter::new(Timestamp(0));
        for i in 0..70_000u32 {
            z.add(&format!("{i}"), i.to_string().as_bytes());
        }
        let bytes = z.finish();
        let script = r#"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    names = z.namelist()
    assert all(z.read(n) == n.encode() for n in names[:10] + names[-10:])
    print(len(names), names[-1])
"#;
        if let Some(out) = python_reads(&bytes, script) {
            assert_eq!(out, "70000 69999\n");
        }
    }
}
