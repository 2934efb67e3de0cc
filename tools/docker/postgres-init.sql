-- One database per service (what tools/infra creates when it provisions Postgres itself).
CREATE DATABASE order_service;
CREATE DATABASE inventory_service;
CREATE DATABASE payment_service;
CREATE DATABASE shipment_service;
CREATE DATABASE notification_service;
CREATE DATABASE reconciliation_service;
