-- The proposer's details are sealed with a data key of their own, kept apart in proposer_keys:
-- erasure deletes the key, and every copy of the details (this table, Temporal's history) can no
-- longer be opened. The columns sealed with the key ring give way to the one sealed field.
CREATE TABLE "proposer_keys" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "proposer_keys_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "proposers" DROP COLUMN "name", DROP COLUMN "phone", DROP COLUMN "email";
ALTER TABLE "proposers" ADD COLUMN "key_id" TEXT NOT NULL DEFAULT '';
ALTER TABLE "proposers" ALTER COLUMN "key_id" DROP DEFAULT;
ALTER TABLE "proposers" ADD COLUMN "details" TEXT;
