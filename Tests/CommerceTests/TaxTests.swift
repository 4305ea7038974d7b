import Testing
@testable import Commerce
import TorsoKit

@Suite struct TaxTests {
    @Test func roundingIsHalfAwayFromZero() {
        // Given / When / Then
        #expect(Rounding.multiplyDivide(1, 1, by: 2) == 1)
        #expect(Rounding.multiplyDivide(3, 1, by: 2) == 2)
        #expect(Rounding.multiplyDivide(-1, 1, by: 2) == -1)
        #expect(Rounding.multiplyDivide(-3, 1, by: 2) == -2)
        #expect(Rounding.multiplyDivide(1, 1, by: 3) == 0)
        #expect(Rounding.multiplyDivide(2, 1, by: 3) == 1)
        #expect(Rounding.multiplyDivide(-1, 1, by: 3) == 0)
        #expect(Rounding.multiplyDivide(-2, 1, by: 3) == -1)
        #expect(Rounding.multiplyDivide(0, 1900, by: 10_000) == 0)
    }

    @Test func productsBeyondSixtyFourBitsDoNotOverflow() {
        // Given: 2^60 × 1900 does not fit in Int64
        let amount: Int64 = 1 << 60
        // When
        let tax = TaxMode.exclusive.tax(on: amount, rateBasisPoints: 1900)
        // Then: 2^60 × 0.19 = 219055085875300925.44
        #expect(tax == 219_055_085_875_300_925)
    }

    @Test func exclusiveTaxRoundsHalfCentsUp() {
        // Given / When / Then
        #expect(TaxMode.exclusive.tax(on: 50, rateBasisPoints: 1900) == 10)      // 9.5
        #expect(TaxMode.exclusive.tax(on: 150, rateBasisPoints: 1900) == 29)     // 28.5
        #expect(TaxMode.exclusive.tax(on: 1, rateBasisPoints: 5000) == 1)        // 0.5
        #expect(TaxMode.exclusive.tax(on: 1, rateBasisPoints: 4999) == 0)        // 0.4999
        #expect(TaxMode.exclusive.tax(on: 1999, rateBasisPoints: 1900) == 380)   // 379.81
        #expect(TaxMode.exclusive.tax(on: 1000, rateBasisPoints: 0) == 0)
    }

    @Test func inclusiveTaxIsTheShareContainedInTheGross() {
        // Given / When / Then
        #expect(TaxMode.inclusive.tax(on: 119, rateBasisPoints: 1900) == 19)     // exact
        #expect(TaxMode.inclusive.tax(on: 1000, rateBasisPoints: 1900) == 160)   // 159.66
        #expect(TaxMode.inclusive.tax(on: 107, rateBasisPoints: 700) == 7)       // exact
        #expect(TaxMode.inclusive.tax(on: 1, rateBasisPoints: 10_000) == 1)      // 0.5
        #expect(TaxMode.inclusive.tax(on: 3, rateBasisPoints: 10_000) == 2)      // 1.5
        #expect(TaxMode.inclusive.tax(on: 2, rateBasisPoints: 1900) == 0)        // 0.319
        #expect(TaxMode.inclusive.tax(on: 3, rateBasisPoints: 1900) == 0)        // 0.479
        #expect(TaxMode.inclusive.tax(on: 4, rateBasisPoints: 1900) == 1)        // 0.638
    }

    @Test func aRegionRateBeatsTheCountryRate() {
        // Given
        let table = TaxTable(rates: [
            TaxRate(country: "US", taxClass: TaxClass.standard, rateBasisPoints: 0),
            TaxRate(country: "US", region: "CA", taxClass: TaxClass.standard, rateBasisPoints: 725),
            TaxRate(country: "DE", taxClass: TaxClass.standard, rateBasisPoints: 1900),
            TaxRate(country: "DE", taxClass: TaxClass.reduced, rateBasisPoints: 700),
        ])
        // When / Then
        #expect(table.rateBasisPoints(country: "US", region: "CA", taxClass: "standard") == 725)
        #expect(table.rateBasisPoints(country: "us", region: "ca", taxClass: "standard") == 725)
        #expect(table.rateBasisPoints(country: "US", region: "NY", taxClass: "standard") == 0)
        #expect(table.rateBasisPoints(country: "DE", region: "BY", taxClass: "standard") == 1900)
        #expect(table.rateBasisPoints(country: "DE", taxClass: "reduced") == 700)
        #expect(table.rateBasisPoints(country: "DE", taxClass: "zero") == 0)
        #expect(table.rateBasisPoints(country: "FR", taxClass: "standard") == 0)
    }
}
