-- Gap sessionising in SQL: the same sessions as @embedkit/item2vec's `sessionize(log)` (without
-- its repeat collapsing and length limits, which stay in JavaScript), for logs too large for one
-- process or already sitting in a warehouse. Standard window functions only: runs unchanged on
-- DuckDB and on Spark SQL.
--
-- Input: a table or view `events(user_id, item_id, ts, seq)`: `ts` in milliseconds (BIGINT),
-- `seq` any number that breaks ties between equal timestamps in file order (a row or line
-- number). Output: one row per event with its `session` id (`user#n`, n = 1, 2, … in time
-- order), sorted by user, time and seq; read it back with
--   embedkit item2vec … --session-column session --user-column user_id --item-column item_id
--                       --time-column ts
-- (the time orders each session, and the file's order breaks ties as seq did).
--
-- A new session starts when the gap to the user's previous event is strictly greater than the
-- limit (1800000 ms = 30 minutes, as Airbnb and `sessionize`'s default; edit the literal
-- below to change it); a gap exactly equal keeps the session going.
WITH ordered AS (
  SELECT
    user_id, item_id, ts, seq,
    LAG(ts) OVER (PARTITION BY user_id ORDER BY ts, seq) AS previous_ts
  FROM events
),
numbered AS (
  SELECT
    user_id, item_id, ts, seq,
    SUM(CASE WHEN previous_ts IS NULL OR ts - previous_ts > 1800000 THEN 1 ELSE 0 END)
      OVER (PARTITION BY user_id ORDER BY ts, seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session_number
  FROM ordered
)
SELECT
  concat(CAST(user_id AS STRING), '#', CAST(session_number AS STRING)) AS session,
  user_id, item_id, ts, seq
FROM numbered
ORDER BY user_id, ts, seq
