-- Kasus DBD per kecamatan per bulan: the source keeps year and month in two columns; build a real
-- date (the first day of the month) so the table sorts and charts as a time series.
-- Casts are explicit so the query works whether the loader typed the columns or kept them as text.
SELECT
  make_date(CAST(tahun AS INTEGER), CAST(bulan AS INTEGER), 1) AS periode,
  CAST(tahun AS INTEGER) AS tahun,
  CAST(bulan AS INTEGER) AS bulan,
  trim(CAST(kecamatan AS VARCHAR)) AS kecamatan,
  CAST(jumlah_kasus AS INTEGER) AS jumlah_kasus,
  CAST(jumlah_meninggal AS INTEGER) AS jumlah_meninggal
FROM source
ORDER BY periode, kecamatan
