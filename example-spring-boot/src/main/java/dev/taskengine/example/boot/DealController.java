package dev.taskengine.example.boot;

import java.time.Duration;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /deals?name=…} opens a deal with its follow-up email; {@code GET /deals} lists them. */
@RestController
class DealController {
    private final DealService deals;

    DealController(DealService deals) {
        this.deals = deals;
    }

    @PostMapping("/deals")
    DealService.Deal open(@RequestParam String name, @RequestParam(defaultValue = "2") long followUpSeconds) {
        return deals.open(name, Duration.ofSeconds(followUpSeconds), false);
    }

    @GetMapping("/deals")
    List<DealService.Deal> list() {
        return deals.deals();
    }
}
