-- Run once by the postgres image on an empty data directory: one database per service that owns data,
-- as each would have its own in AWS. The names match SPRING_DATASOURCE_URL in docker-compose.yml.
CREATE DATABASE orders;
CREATE DATABASE shipping;
CREATE DATABASE analytics;
