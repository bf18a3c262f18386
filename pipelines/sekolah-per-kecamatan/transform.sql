-- Sekolah per kecamatan: keep the source columns and add two ratios. NULLIF guards against a
-- division by zero should a row ever report no teachers or no schools.
SELECT
  CAST(tahun_ajaran AS VARCHAR) AS tahun_ajaran,
  trim(CAST(kecamatan AS VARCHAR)) AS kecamatan,
  CAST(jenjang AS VARCHAR) AS jenjang,
  CAST(status_sekolah AS VARCHAR) AS status_sekolah,
  CAST(jumlah_sekolah AS INTEGER) AS jumlah_sekolah,
  CAST(jumlah_siswa AS INTEGER) AS jumlah_siswa,
  CAST(jumlah_guru AS INTEGER) AS jumlah_guru,
  round(CAST(jumlah_siswa AS DOUBLE) / NULLIF(CAST(jumlah_guru AS DOUBLE), 0), 1) AS rasio_siswa_guru,
  round(CAST(jumlah_siswa AS DOUBLE) / NULLIF(CAST(jumlah_sekolah AS DOUBLE), 0), 0) AS rata_rata_siswa_per_sekolah
FROM source
ORDER BY kecamatan, jenjang, status_sekolah
