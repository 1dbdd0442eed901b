-- A suggestion's segmented words and places, written with its registration, for finding the
-- suggestions about the same matter: the GIN index finds those sharing a word.
-- CreateTable
CREATE TABLE "suggestion_terms" (
    "suggestion_id" TEXT NOT NULL,
    "terms" TEXT[],
    "weights" REAL[],
    "places" TEXT[],
    "place_names" TEXT[],

    CONSTRAINT "suggestion_terms_pkey" PRIMARY KEY ("suggestion_id")
);

-- CreateIndex
CREATE INDEX "suggestion_terms_terms_idx" ON "suggestion_terms" USING GIN ("terms");

-- AddForeignKey
ALTER TABLE "suggestion_terms" ADD CONSTRAINT "suggestion_terms_suggestion_id_fkey" FOREIGN KEY ("suggestion_id") REFERENCES "suggestions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
