-- Volume lalu lintas: derive the hour of day, the Indonesian day name and the total of all vehicle
-- classes. The inner query casts once, so the outer one can stay readable.
SELECT
  waktu,
  CAST(hour(waktu) AS INTEGER) AS jam,
  CASE isodow(waktu)
    WHEN 1 THEN 'Senin'
    WHEN 2 THEN 'Selasa'
    WHEN 3 THEN 'Rabu'
    WHEN 4 THEN 'Kamis'
    WHEN 5 THEN 'Jumat'
    WHEN 6 THEN 'Sabtu'
    ELSE 'Minggu'
  END AS hari,
  kode_titik,
  ruas_jalan,
  sepeda_motor,
  mobil_penumpang,
  kendaraan_berat,
  sepeda_motor + mobil_penumpang + kendaraan_berat AS total_kendaraan
FROM (
  SELECT
    CAST(waktu AS TIMESTAMP) AS waktu,
    CAST(kode_titik AS VARCHAR) AS kode_titik,
    CAST(ruas_jalan AS VARCHAR) AS ruas_jalan,
    CAST(sepeda_motor AS INTEGER) AS sepeda_motor,
    CAST(mobil_penumpang AS INTEGER) AS mobil_penumpang,
    CAST(kendaraan_berat AS INTEGER) AS kendaraan_berat
  FROM source
) AS hitung
ORDER BY waktu, kode_titik
