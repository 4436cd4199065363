"""trygghet: follow-up of medborgarlöften."""
